function handler(event) {
  console.log('mark=' + ''.mark);
  var hook = {};
  hook[Symbol.split] = function (o) { o.mark = 1; return []; };
  String.prototype.split(hook);
  return {statusCode: 200};
}
