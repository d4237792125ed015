function handler(event) {
  console.log('mark=' + ({}).mark);
  var m = {a: {}};
  var t = m[event.request.uri.slice(1, 2) === 'i' ? '__proto__' : 'a'];
  t.mark = 1;
  return {statusCode: 200};
}
