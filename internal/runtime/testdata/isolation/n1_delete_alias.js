function handler(event) {
  console.log('mark=' + ({}).toString.hasOwnProperty('mark'));
  event.toString = 1;
  var r = event;
  for (var k in event) {
    delete r[k];
    if (k === 'toString') { event[k].mark = 1; }
  }
  return {statusCode: 200};
}
