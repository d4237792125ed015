function handler(event) {
  var f = Object.getOwnPropertyDescriptor(arguments, Symbol.iterator).value;
  console.log('mark=' + f.mark);
  f.mark = 1;
  return {statusCode: 200};
}
