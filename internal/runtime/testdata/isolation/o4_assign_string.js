function handler(event) {
  console.log('mark=' + String.mark);
  Object.assign(String, {mark: 1});
  return {statusCode: 200};
}
