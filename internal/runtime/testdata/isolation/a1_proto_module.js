function handler(event) {
  var o = {__proto__: require('crypto')};
  var seen = [];
  for (var k in o) { seen.push(k + ':' + typeof o[k] + ':' + o[k].mark); o[k].mark = 1; }
  console.log(seen.join(','));
  return event.request;
}
