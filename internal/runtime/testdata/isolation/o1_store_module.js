function handler(event) {
  var o = {};
  o.m = require('crypto');
  console.log('mark=' + o.m.mark);
  o.m.mark = 1;
  return event.request;
}
