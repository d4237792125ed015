function handler(event) {
  event.m = require('querystring');
  for (var k in event) { if (k === 'm') { console.log('mark=' + event[k].mark); event[k].mark = 1; } }
  return event.request;
}
