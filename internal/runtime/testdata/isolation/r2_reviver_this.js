function handler(event) {
  console.log('mark=' + ({}).mark);
  JSON.parse('{"a": {"b": 1}}', function (key, value) { this.mark = 1; return value; });
  return {statusCode: 200};
}
