function f(s) { console.log('mark=' + s.mark); s.mark = 1; }
function handler(event) {
  f(String);
  return event.request;
}
