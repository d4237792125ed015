function handler(event) {
  var h = event.request.headers;
  for (var k in h) { h[k].toString.mark = 1; }
  return {statusCode: 200};
}
