var k;
function handler(event) {
  if (event.version) { console.log('mark=' + [].mark); }
  for (k in event) {
    if (k === 'version') {
      handler(JSON.parse('{"constructor": 1}'));
      if (k === 'constructor') { event[k].prototype.mark = 1; }
    }
  }
  return {statusCode: 200};
}
