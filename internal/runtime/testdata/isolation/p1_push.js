function handler(event) {
  console.log('elem=' + [][0]);
  Array.prototype.push(7);
  return {statusCode: 200};
}
