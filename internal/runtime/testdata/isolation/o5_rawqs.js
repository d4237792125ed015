function handler(event) {
  console.log('mark=' + event.request.rawQueryString.mark);
  event.request.rawQueryString.mark = 1;
  return {statusCode: 200};
}
