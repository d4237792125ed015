function handler(event) {
  console.log('mark=' + ({}).mark + ' rqs=' + event.request.rawQueryString.hasOwnProperty('mark'));
  var C = {};
  C[Symbol.hasInstance] = function (v) { v.mark = 1; return false; };
  var k = '__pro' + 'to__';
  if (({})[k] instanceof C) {}
  if (event.request.rawQueryString instanceof C) {}
  return {statusCode: 200};
}
