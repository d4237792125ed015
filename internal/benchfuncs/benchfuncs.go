// Package benchfuncs holds the CloudFront functions that LocalFront's benchmarks measure —
// the same programs in the runtime's and the edge's Go benchmarks and in the edge load
// benchmark (bench/edge), so their figures stay comparable.
package benchfuncs

// AppendIndex is the viewer-request URL rewrite of AWS's examples: append index.html to
// directory-like URIs.
const AppendIndex = `function handler(event) {
    var request = event.request;
    var uri = request.uri;
    if (uri.endsWith('/')) {
        request.uri += 'index.html';
    } else if (!uri.includes('.')) {
        request.uri += '/index.html';
    }
    return request;
}`

// SecurityHeaders is the viewer-response function that adds the usual security headers.
const SecurityHeaders = `function handler(event) {
    var response = event.response;
    var headers = response.headers;
    headers['strict-transport-security'] = { value: 'max-age=63072000; includeSubdomains; preload'};
    headers['content-security-policy'] = { value: "default-src 'none'; img-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'"};
    headers['x-content-type-options'] = { value: 'nosniff'};
    headers['x-frame-options'] = {value: 'DENY'};
    headers['x-xss-protection'] = {value: '1; mode=block'};
    headers['referrer-policy'] = {value: 'same-origin'};
    return response;
}`

// CookieHMAC checks a signed session cookie with an HMAC and copies a query parameter into
// a header: cookies, querystring and crypto in one viewer-request function.
const CookieHMAC = `var crypto = require('crypto');
var secret = 'a-very-secret-key';
function handler(event) {
    var request = event.request;
    var session = request.cookies.session;
    var lang = request.querystring.lang;
    if (!session) {
        return { statusCode: 401, statusDescription: 'Unauthorized' };
    }
    var parts = session.value.split('.');
    var sig = crypto.createHmac('sha256', secret).update(parts[0]).digest('hex');
    if (sig !== parts[1]) {
        return { statusCode: 403, statusDescription: 'Forbidden' };
    }
    request.headers['x-user'] = { value: parts[0] };
    if (lang) {
        request.headers['accept-language'] = { value: lang.value };
    }
    return request;
}`
