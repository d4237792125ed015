function handler(event) {
  console.log('mark=' + ({}).mark);
  const keys = Object.keys(event);
  for (keys[0] in {["__proto__"]: 1}) break;
  event[keys[0]].mark = 1;
  return {statusCode: 200};
}
