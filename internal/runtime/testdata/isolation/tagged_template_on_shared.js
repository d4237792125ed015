function handler(event) {
  var m = {a: {}};
  var t = ''[event.request.uri];
  if (t) { t`x`; }
  return {statusCode: 200};
}
