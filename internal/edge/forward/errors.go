package forward

import (
	"errors"
	"net"
	"os"
)

// Kind says which step of the exchange failed; it decides the status the viewer sees.
type Kind int

const (
	// KindConnect: the origin could not be reached (refused, unreachable, name not found). 502.
	KindConnect Kind = iota + 1
	// KindConnectTimeout: no connection within the origin's connection timeout (every attempt). 504.
	KindConnectTimeout
	// KindTLS: the TLS handshake with an https origin failed (bad certificate, protocol). 502.
	KindTLS
	// KindResponseTimeout: the origin sent nothing (or stopped sending) for the response timeout. 504.
	KindResponseTimeout
	// KindOriginClosed: the origin closed or reset the connection before a complete response head. 502.
	KindOriginClosed
	// KindProtocol: the origin's response is not valid HTTP/1.x (or its head is too large). 502.
	KindProtocol
	// KindInvalidRequest: the request cannot be written as HTTP/1.1 (a bad method, path or
	// header, for instance one a function produced). 502, like an invalid function result.
	KindInvalidRequest
	// KindViewerBody: reading the viewer's request body failed (the viewer went away, bad chunking). 400.
	KindViewerBody
	// KindCanceled: the viewer's request context ended (the viewer went away). Nobody is left to
	// answer; Status reports 502 for logs.
	KindCanceled
	// KindOriginBody: the origin's body broke off after the response head was sent to the viewer.
	KindOriginBody
	// KindViewerWrite: writing the response to the viewer failed.
	KindViewerWrite
)

var kindNames = [...]string{"", "connect", "connect timeout", "tls", "response timeout",
	"origin closed", "protocol", "invalid request", "viewer body", "canceled", "origin body", "viewer write"}

func (k Kind) String() string {
	if k > 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "unknown"
}

// Error is the one error type the forwarder returns.
type Error struct {
	Kind Kind
	Op   string // what was being done: "dial", "write request", "read response", ...
	Addr string // origin host:port
	// HeadersSent is true when the status line and headers already went to the viewer, so the
	// only honest thing left is to cut the viewer's connection (panic(http.ErrAbortHandler)
	// inside a net/http handler); otherwise answer with Status().
	HeadersSent bool
	Err         error
}

func (e *Error) Error() string {
	s := "forward: " + e.Kind.String() + ": " + e.Op
	if e.Addr != "" {
		s += " " + e.Addr
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Timeout reports whether the error is one of the timeouts.
func (e *Error) Timeout() bool {
	return e.Kind == KindConnectTimeout || e.Kind == KindResponseTimeout
}

// Status is the HTTP status CloudFront answers the viewer with for this failure:
// 504 Gateway Timeout for timeouts, 400 for a broken viewer body, 502 Bad Gateway otherwise.
func (e *Error) Status() int {
	switch e.Kind {
	case KindConnectTimeout, KindResponseTimeout:
		return 504
	case KindViewerBody:
		return 400
	}
	return 502
}

func newError(kind Kind, op, addr string, err error) *Error {
	return &Error{Kind: kind, Op: op, Addr: addr, Err: err}
}

// isTimeout reports a deadline expiry from the net package.
func isTimeout(err error) bool {
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
