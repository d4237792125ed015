function handler(event) {
  console.log('elem=' + [][0]);
  [].__proto__.push(7);
  return {statusCode: 200};
}
