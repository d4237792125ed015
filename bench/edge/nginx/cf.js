// The nginx + njs side of the benchmark: the same two CloudFront example functions the edge
// runs, written the idiomatic njs way (a js_set variable and a js_header_filter).

// CloudFront's "add index.html to request URLs" example, as a js_set variable that
// proxy_pass uses as the upstream URI.
function rewrite(r) {
    var uri = r.uri;
    if (uri.endsWith('/')) {
        return uri + 'index.html';
    }
    if (!uri.includes('.')) {
        return uri + '/index.html';
    }
    return uri;
}

// CloudFront's "add security headers" example, as a header filter on the origin's response.
function headers(r) {
    var h = r.headersOut;
    h['Strict-Transport-Security'] = 'max-age=63072000; includeSubdomains; preload';
    h['Content-Security-Policy'] = "default-src 'none'; img-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'";
    h['X-Content-Type-Options'] = 'nosniff';
    h['X-Frame-Options'] = 'DENY';
    h['X-XSS-Protection'] = '1; mode=block';
    h['Referrer-Policy'] = 'same-origin';
}

export default { rewrite, headers };
