function handler(event) {
  if (event.version) { console.log('mark=' + ({}).mark); }
  for (let k in event) {
    if (k === 'version') { handler({['__proto__']: {}}); }
    if (k === '__proto__') { event[k].mark = 1; }
  }
  return {statusCode: 200};
}
