function handler(event) {
  console.log('mark=' + ({}).statusCode + ' ' + ({}).headers + ' ' + Object.keys(Object.prototype).length);
  var k = '__pro' + 'to__';
  return event[k];
}
