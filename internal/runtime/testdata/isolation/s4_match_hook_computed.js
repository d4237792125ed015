function handler(event) {
  console.log('mark=' + ''.mark);
  var k = '__pro' + 'to__';
  var hook = {};
  hook[Symbol.match] = function (o) { o.mark = 1; return null; };
  ''[k].match(hook);
  return {statusCode: 200};
}
