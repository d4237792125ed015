function handler(event) {
  var o = {get a() { return this; }, b: {}};
  for (var k in o) { o[k].mark = 1; }
  console.log(({}).mark);
  return {statusCode: 200};
}
