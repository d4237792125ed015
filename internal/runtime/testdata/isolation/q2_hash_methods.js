var crypto = require('crypto');
function handler(event) {
  var h = crypto.createHash('sha256');
  console.log('mark=' + h.update.mark + ' ' + h.digest.mark);
  h.update.mark = 1; h.digest.mark = 1;
  return {statusCode: 200};
}
