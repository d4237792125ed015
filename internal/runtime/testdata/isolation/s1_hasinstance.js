function handler(event) {
  console.log('mark=' + Math.mark);
  var C = {};
  C[Symbol.hasInstance] = function (v) { v.mark = 1; return true; };
  if (Math instanceof C) { console.log('instanceof'); }
  return {statusCode: 200};
}
