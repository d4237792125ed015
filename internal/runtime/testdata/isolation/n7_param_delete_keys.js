function del(x, name) { delete x[name]; }
function handler(event) {
  console.log('mark=' + ({}).hasOwnProperty.hasOwnProperty('mark'));
  event.hasOwnProperty = 1;
  const keys = Object.keys(event);
  for (var i = 0; i < keys.length; i++) {
    if (keys[i] === 'hasOwnProperty') { del(event, keys[i]); event[keys[i]].mark = 1; }
  }
  return {statusCode: 200};
}
