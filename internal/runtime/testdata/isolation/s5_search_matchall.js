function handler(event) {
  console.log('mark=' + ''.mark + ' ' + ''.mark2);
  var hook = {};
  hook[Symbol.search] = function (o) { o.mark = 1; return -1; };
  String.prototype.search(hook);
  return {statusCode: 200};
}
