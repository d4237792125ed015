package kvsapi

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/localfront/localfront/internal/apierror"
)

// epochSeconds marshals a time as rest-json's default timestamp: epoch seconds, with
// milliseconds as a fraction when there are any (spec §5.1).
type epochSeconds time.Time

func (t epochSeconds) MarshalJSON() ([]byte, error) {
	ms := time.Time(t).UnixMilli()
	return []byte(strconv.FormatFloat(float64(ms)/1000, 'f', -1, 64)), nil
}

// writeJSON sends a 200 with a JSON body, in one write (see wire.md's note on the Go SDK
// and split error responses).
func writeJSON(w http.ResponseWriter, etag string, v any) {
	body, err := json.Marshal(v)
	if err != nil { // our own types always marshal
		writeError(w, apierror.InternalServerException("Could not encode the response."))
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	if etag != "" {
		h.Set("ETag", etag)
	}
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}

// writeError sends the rest-json error envelope: the code in x-amzn-ErrorType and in the
// body's __type, the message in Message (spec §5.3).
func writeError(w http.ResponseWriter, e *apierror.Error) {
	body, _ := json.Marshal(struct {
		Type    string `json:"__type"`
		Message string `json:"Message"`
	}{e.Code, e.Message})
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h["x-amzn-ErrorType"] = []string{e.Code} // AWS's spelling; clients read it case-insensitively
	w.WriteHeader(e.Status)
	w.Write(body)
}
