var crypto = require('crypto');
function handler(event) {
  var a = [1].keys(), b = [1].entries(), c = Buffer.from('ab').entries(), d = crypto.createHmac('sha256', 'k');
  var n = a.next;
  console.log('mark=' + n.mark + ' ' + b.next.mark + ' ' + c.next.mark + ' ' + d.update.mark + ' ' + d.digest.mark);
  n.mark = 1; b.next.mark = 1; c.next.mark = 1; d.update.mark = 1; d.digest.mark = 1;
  return {statusCode: 200};
}
