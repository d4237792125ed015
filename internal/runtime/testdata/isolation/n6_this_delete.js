function handler(event) {
  console.log('mark=' + ({}).toString.hasOwnProperty('mark'));
  var o = {toString: 1, del: function () { delete this.toString; }};
  for (var k in o) {
    if (k === 'toString') { o.del(); o[k].mark = 1; }
  }
  return {statusCode: 200};
}
