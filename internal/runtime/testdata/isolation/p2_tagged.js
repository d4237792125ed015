function handler(event) {
  console.log('elem=' + [][0]);
  var k = 'push';
  var o = {};
  [].__proto__[k]`x`;
  return {statusCode: 200};
}
