function tag(s, v) { v.mark = 1; }
function handler(event) {
  console.log('mark=' + ''.mark);
  var k = '__pro' + 'to__';
  tag`${''[k]}`;
  return {statusCode: 200};
}
