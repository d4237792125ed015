function tag(s, v) { v.mark = 1; }
function handler(event) {
  console.log('mark=' + ''.trim.hasOwnProperty('mark'));
  tag`${''.trim}`;
  return {statusCode: 200};
}
