package cfapi

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/google/uuid"

	"github.com/localfront/localfront/internal/apierror"
	"github.com/localfront/localfront/internal/statuswriter"
)

// withRequestID gives every request a UUID, sent back as x-amzn-RequestId on every
// response, errors included (spec §1.3).
func (a *API) withRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info := &requestInfo{id: uuid.NewString()}
		w.Header().Set("x-amzn-RequestId", info.id)
		next.ServeHTTP(w, r.WithContext(withInfo(r.Context(), info)))
	})
}

// withAccessLog writes one structured line per request.
func (a *API) withAccessLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statuswriter.Writer{ResponseWriter: w} // also read by withRecovery
		next.ServeHTTP(rec, r)
		info := infoFrom(r.Context())
		level := slog.LevelInfo
		if rec.Status >= 500 {
			level = slog.LevelError
		}
		attrs := []slog.Attr{
			slog.String("request_id", info.id),
			slog.String("op", info.op),
			slog.String("method", r.Method),
			slog.String("path", r.URL.EscapedPath()),
			slog.Int("status", rec.Status),
			slog.Int64("bytes", rec.Bytes),
			slog.Duration("latency", time.Since(start)),
		}
		if info.errCode != "" {
			attrs = append(attrs, slog.String("error", info.errCode))
		}
		if info.account != "" {
			attrs = append(attrs, slog.String("account", info.account))
		}
		a.log.LogAttrs(r.Context(), level, "request", attrs...)
	})
}

// withRecovery turns a panic into an InternalError envelope (or, if the answer had already
// started, aborts the connection) and logs the stack.
func (a *API) withRecovery(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			info := infoFrom(r.Context())
			a.log.Error("panic serving request", "request_id", info.id, "op", info.op, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			if rec, ok := w.(*statuswriter.Writer); ok && rec.Status != 0 {
				panic(http.ErrAbortHandler)
			}
			writeError(w, r, apierror.InternalError(apierror.InternalMessage), a.log)
		}()
		next.ServeHTTP(w, r)
	})
}

// withRoute matches the operation before anything else looks at the request, so the body
// cap and the log know it. An unmatched route is answered after authentication.
func (a *API) withRoute(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info := infoFrom(r.Context())
		rt, err := matchRoute(r.Method, r.URL.EscapedPath(), r.URL.Query())
		info.op, info.name, info.routeErr = rt.op, rt.name, err
		next.ServeHTTP(w, r)
	})
}

// withBody reads the whole body under the cap before anything parses it: SigV4 needs its
// hash and the XML decoders need it complete.
func (a *API) withBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info := infoFrom(r.Context())
		limit := a.opts.MaxBodyBytes
		if r.ContentLength > limit {
			a.fail(w, r, bodyTooLarge(info.op, limit))
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
		if err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				a.fail(w, r, bodyTooLarge(info.op, limit))
			} else {
				a.fail(w, r, apierror.New("IncompleteBody", http.StatusBadRequest, "The request body could not be read: %v.", err))
			}
			return
		}
		info.body = body
		r.Body = io.NopCloser(bytes.NewReader(body))
		next.ServeHTTP(w, r)
	})
}

// bodyTooLarge is the 413 for a body over the cap. On Create/UpdateFunction only the code
// can be that large, so the answer is the modeled FunctionSizeLimitExceeded.
func bodyTooLarge(op string, limit int64) error {
	if op == opCreateFunction || op == opUpdateFunction {
		return apierror.New("FunctionSizeLimitExceeded", http.StatusRequestEntityTooLarge,
			"The request body is larger than %d bytes; the function code is far above the size limit.", limit)
	}
	return apierror.New("RequestEntityTooLarge", http.StatusRequestEntityTooLarge, "The request body is larger than %d bytes.", limit)
}

// withAuth resolves the account. Without an Authenticator every request, signed or not,
// acts for the default account.
func (a *API) withAuth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info := infoFrom(r.Context())
		if a.opts.Auth == nil {
			info.account = a.opts.DefaultAccount
			next.ServeHTTP(w, r)
			return
		}
		account, err := a.opts.Auth.Authenticate(r, info.body)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		info.account = account
		next.ServeHTTP(w, r)
	})
}
