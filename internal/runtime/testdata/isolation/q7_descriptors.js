function handler(event) {
  var ds = Object.getOwnPropertyDescriptors(arguments);
  var f = ds.length && Object.getOwnPropertyDescriptor([], 'length');
  console.log('mark=' + (f && f.mark));
  if (f) { f.mark = 1; }
  return {statusCode: 200};
}
