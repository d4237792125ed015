package cfapi

import (
	"bytes"
	"encoding/xml"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/localfront/localfront/internal/apierror"
)

// Namespace is the XML namespace of the CloudFront 2020-05-31 API.
const Namespace = "http://cloudfront.amazonaws.com/doc/2020-05-31/"

const xmlDeclaration = `<?xml version="1.0" encoding="UTF-8"?>` + "\n"

// toAPIError turns any error into the *apierror.Error the client will see. Errors that are
// not API errors, and internal API errors (store or hook failures), are bugs or
// infrastructure failures: the client gets a generic InternalError and the details go to
// the log only.
func toAPIError(err error, log *slog.Logger, info *requestInfo) *apierror.Error {
	e := apierror.As(err)
	if e != nil && !e.Internal() {
		return e
	}
	if e == nil || e.Message != apierror.InternalMessage {
		log.Error("internal error", "request_id", info.id, "op", info.op, "error", err)
	}
	return apierror.InternalError(apierror.InternalMessage)
}

// errorBody renders the rest-xml error envelope (spec §1.6, wire.md "Errors"). The Go SDK
// only recognises errors wrapped in <ErrorResponse>.
func errorBody(e *apierror.Error, requestID string) []byte {
	kind := "Sender"
	if e.Fault() {
		kind = "Receiver"
	}
	var b bytes.Buffer
	b.WriteString(xmlDeclaration)
	b.WriteString(`<ErrorResponse xmlns="` + Namespace + `"><Error><Type>` + kind + `</Type><Code>`)
	xml.EscapeText(&b, []byte(e.Code))
	b.WriteString(`</Code><Message>`)
	xml.EscapeText(&b, []byte(e.Message))
	b.WriteString(`</Message></Error><RequestId>`)
	xml.EscapeText(&b, []byte(requestID))
	b.WriteString(`</RequestId></ErrorResponse>`)
	return b.Bytes()
}

// writeError answers with the error envelope. Headers and body go out in one write with
// an exact Content-Length: the Go SDK was seen failing to read error bodies that arrived in
// two writes (wire.md "Go SDK transport flake").
func writeError(w http.ResponseWriter, r *http.Request, err error, log *slog.Logger) {
	info := infoFrom(r.Context())
	e := toAPIError(err, log, info)
	info.errCode = e.Code
	writeBody(w, e.Status, "text/xml", errorBody(e, info.id))
}

// writeBody sends a complete response with Content-Type and Content-Length in one write.
func writeBody(w http.ResponseWriter, status int, contentType string, body []byte) {
	h := w.Header()
	if contentType != "" {
		h.Set("Content-Type", contentType)
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	if len(body) > 0 {
		w.Write(body)
	}
}
