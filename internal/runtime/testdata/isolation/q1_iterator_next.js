function handler(event) {
  var it = [].values();
  console.log('mark=' + it.next.mark);
  it.next.mark = 1;
  return {statusCode: 200};
}
