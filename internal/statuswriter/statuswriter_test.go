package statuswriter

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestWriterRecordsFirstStatusAndBytes(t *testing.T) {
	rec := httptest.NewRecorder()
	w := &Writer{ResponseWriter: rec}
	w.WriteHeader(http.StatusNotFound)
	w.WriteHeader(http.StatusOK) // superfluous: the first status stands
	w.Write([]byte("abc"))
	w.Write([]byte("de"))
	w.Flush()
	if w.Status != http.StatusNotFound || w.Bytes != 5 || rec.Body.String() != "abcde" || !rec.Flushed {
		t.Fatalf("status %d, bytes %d, body %q, flushed %v", w.Status, w.Bytes, rec.Body.String(), rec.Flushed)
	}
	if w.Unwrap() != rec {
		t.Fatal("Unwrap does not give the wrapped writer")
	}
}

func TestWriterImplicitOK(t *testing.T) {
	w := &Writer{ResponseWriter: httptest.NewRecorder()}
	if w.Status != 0 {
		t.Fatal("status before any write")
	}
	w.Write(nil)
	if w.Status != http.StatusOK || w.Bytes != 0 {
		t.Fatalf("status %d, bytes %d", w.Status, w.Bytes)
	}
}

// A wrapped writer without Flush is left alone, without a panic.
func TestWriterFlushWithoutFlusher(t *testing.T) {
	inner := httptest.NewRecorder()
	w := &Writer{ResponseWriter: struct{ http.ResponseWriter }{inner}} // hides inner's Flush
	w.Flush()
	if inner.Flushed {
		t.Fatal("flushed through a writer that has no Flush")
	}
}
