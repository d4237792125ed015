package forward

import (
	"errors"
	"io"
	"net/http"
	"reflect"
)

// WriteResponse writes resp's status, headers and body to w, then closes resp. A body that
// breaks off after the head was sent returns an *Error with HeadersSent set.
func (f *Forwarder) WriteResponse(w http.ResponseWriter, resp *Response) error {
	defer resp.Close()
	h := w.Header()
	if !sameMap(h, resp.Header) { // the caller may have built the response in w's own map
		for k, v := range resp.Header {
			h[k] = v
		}
	}
	if _, ok := h["Content-Type"]; !ok {
		h["Content-Type"] = nil // a proxy does not guess a type the origin did not send
	}
	w.WriteHeader(resp.StatusCode)
	var err error
	switch {
	case resp.hasRepl:
		if len(resp.replaced) > 0 {
			if _, werr := w.Write(resp.replaced); werr != nil {
				err = &Error{Kind: KindViewerWrite, Op: "write body", HeadersSent: true, Err: werr}
			}
		}
	case resp.body.mode == bodyNone:
		resp.body.done = true
	default:
		err = copyBody(w, resp)
	}
	if err == nil && resp.ContentLength >= 0 {
		finish(w)
	}
	return err
}

// finish sends a complete, length-delimited response now rather than when the handler
// returns. It does not yield (runtime.Gosched) to let the viewer's next request arrive
// first: a yielding goroutine waits in the global run queue, and under load that tripled
// the p99 latency (forwarder.go). Not for chunked responses, whose last chunk the server
// writes only when the handler returns.
func finish(w http.ResponseWriter) {
	if fl, ok := w.(http.Flusher); ok {
		fl.Flush()
	}
}

// copyBody streams the origin's body to the viewer.
func copyBody(w http.ResponseWriter, resp *Response) error {
	bp := copyBuffers.Get().(*[]byte)
	defer copyBuffers.Put(bp)
	buf := *bp
	// Unknown-length bodies may be streams: what the viewer was given is flushed whenever
	// reading on would wait for the origin, not when a buffer fills.
	if flusher, ok := w.(http.Flusher); ok && resp.ContentLength < 0 {
		pending := false
		resp.c.beforeRead = func() {
			if pending {
				flusher.Flush()
				pending = false
			}
		}
		defer func() { resp.c.beforeRead = nil }()
		for {
			n, err := resp.body.Read(buf)
			if n > 0 {
				if _, werr := w.Write(buf[:n]); werr != nil {
					return &Error{Kind: KindViewerWrite, Op: "write body", HeadersSent: true, Err: werr}
				}
				pending = true
			}
			if err != nil {
				return resp.bodyError(err)
			}
		}
	}
	for {
		n, err := resp.body.Read(buf)
		if n > 0 {
			if _, werr := w.Write(buf[:n]); werr != nil {
				return &Error{Kind: KindViewerWrite, Op: "write body", HeadersSent: true, Err: werr}
			}
		}
		if err != nil {
			return resp.bodyError(err)
		}
	}
}

// bodyError maps the end of a body copy: nil for io.EOF, else an *Error with HeadersSent.
func (r *Response) bodyError(err error) error {
	if err == io.EOF {
		return nil
	}
	e := exchangeError("read body", r.p.addr, err)
	if errors.Is(err, errCanceled) {
		e.Kind = KindCanceled
	} else if e.Kind != KindResponseTimeout {
		e.Kind = KindOriginBody
	}
	e.HeadersSent = true
	return e
}

// sameMap reports whether a and b are the same map (not merely equal ones).
func sameMap(a, b http.Header) bool {
	return reflect.ValueOf(a).UnsafePointer() == reflect.ValueOf(b).UnsafePointer()
}
