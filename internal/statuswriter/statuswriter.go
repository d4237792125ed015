// Package statuswriter wraps an http.ResponseWriter to remember what a handler sent, for
// the access logs of the API and the edge and for the API's panic recovery.
package statuswriter

import "net/http"

// Writer records the status and the number of body bytes written through it.
type Writer struct {
	http.ResponseWriter
	Status int   // the status sent; 0 until the handler writes anything
	Bytes  int64 // body bytes written
}

func (w *Writer) WriteHeader(code int) {
	if w.Status == 0 {
		w.Status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *Writer) Write(p []byte) (int, error) {
	if w.Status == 0 {
		w.Status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(p)
	w.Bytes += int64(n)
	return n, err
}

// Flush passes a flush on when the wrapped writer supports it.
func (w *Writer) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap gives http.ResponseController the wrapped writer.
func (w *Writer) Unwrap() http.ResponseWriter { return w.ResponseWriter }
