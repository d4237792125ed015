// Package sdkhttp makes HTTP clients for the AWS SDK for Go v2 that do not lose
// connections to a race in the SDK's request-body wrapper.
//
// The race (the cause of aws/aws-sdk-go-v2 #1825 and #2737, "use of closed network
// connection" while the SDK decodes a successful response):
//
//  1. net/http's writeLoop sends the whole request body, then reads the body once more to
//     check it holds no bytes beyond Content-Length. A body larger than the transport's
//     4 KiB write buffer is already on the wire before that last read.
//  2. The server answers; RoundTrip returns the response while writeLoop is still there.
//  3. smithy-go closes the request body as soon as the HTTP client returns.
//  4. The last read reaches smithy-go's body through io.Copy's WriterTo fast path, and its
//     WriteTo reports io.EOF once closed (a plain Read would report a clean end). io.Copy
//     passes that io.EOF on as an error, so writeLoop fails the write and closes the
//     connection: the response body still in flight cannot be read.
//
// No server can prevent it: the server has read the full body and answered correctly. The
// fix is on the client side: the request body is handed to net/http without its WriteTo
// method, so the last read goes through Read and a closed body is just an empty one.
package sdkhttp

import (
	"io"
	"net/http"
)

// Client returns a copy of c (a zero http.Client when c is nil) whose transport is
// wrapped with Transport. Pass it as the SDK's HTTPClient.
func Client(c *http.Client) *http.Client {
	var out http.Client
	if c != nil {
		out = *c
	}
	out.Transport = Transport(out.Transport)
	return &out
}

// Transport wraps rt (http.DefaultTransport when nil) so that request bodies reach it
// without an io.WriterTo method.
func Transport(rt http.RoundTripper) http.RoundTripper {
	if rt == nil {
		rt = http.DefaultTransport
	}
	if _, done := rt.(transport); done {
		return rt
	}
	return transport{base: rt}
}

type transport struct{ base http.RoundTripper }

func (t transport) RoundTrip(req *http.Request) (*http.Response, error) {
	_, fastPath := req.Body.(io.WriterTo)
	fastPath = fastPath && req.Body != http.NoBody // net/http recognises NoBody by identity
	if !fastPath && req.GetBody == nil {
		return t.base.RoundTrip(req)
	}
	// A RoundTripper must not modify the caller's request; Clone shares the body.
	out := req.Clone(req.Context())
	if fastPath {
		out.Body = readOnlyBody{req.Body}
	}
	if getBody := req.GetBody; getBody != nil {
		// net/http uses GetBody to resend the request on a fresh connection.
		out.GetBody = func() (io.ReadCloser, error) {
			b, err := getBody()
			if _, ok := b.(io.WriterTo); !ok || err != nil || b == http.NoBody {
				return b, err
			}
			return readOnlyBody{b}, nil
		}
	}
	return t.base.RoundTrip(out)
}

// CloseIdleConnections lets http.Client.CloseIdleConnections reach the wrapped transport.
func (t transport) CloseIdleConnections() {
	if c, ok := t.base.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

// readOnlyBody exposes only Read and Close of a request body, hiding WriterTo.
type readOnlyBody struct{ body io.ReadCloser }

func (b readOnlyBody) Read(p []byte) (int, error) { return b.body.Read(p) }
func (b readOnlyBody) Close() error               { return b.body.Close() }
