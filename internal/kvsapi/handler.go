// Package kvsapi serves the cloudfront-keyvaluestore data plane (2022-07-26, rest-json)
// over a kvs.Service: routing on the escaped path, JSON bodies, ETag headers and the
// rest-json error envelope. It holds no business rules.
package kvsapi

import (
	"errors"
	"io"
	"log/slog"
	"net/http"

	"github.com/google/uuid"

	"github.com/localfront/localfront/internal/apierror"
	"github.com/localfront/localfront/internal/auth"
	"github.com/localfront/localfront/internal/kvs"
)

// Authenticator verifies a request (SigV4A for real clients) and returns the caller's
// account. body is the whole request body, already read. An *apierror.Error is sent as is;
// any other error becomes AccessDeniedException.
type Authenticator interface {
	Authenticate(r *http.Request, body []byte) (account string, err error)
}

// AuthenticatorFunc adapts a function to Authenticator, e.g. around auth.Verifier.Verify.
type AuthenticatorFunc func(r *http.Request, body []byte) (string, error)

// Authenticate calls f.
func (f AuthenticatorFunc) Authenticate(r *http.Request, body []byte) (string, error) {
	return f(r, body)
}

// DefaultAccount is the account of every caller when no Authenticator is configured.
const DefaultAccount = auth.DefaultAccountID

// Options configures the handler. Zero values select the defaults.
type Options struct {
	Authenticator  Authenticator // nil: accept every request as DefaultAccount
	DefaultAccount string        // default DefaultAccount
	MaxBodyBytes   int64         // request bodies beyond this are rejected unread; default 3 MiB
	Log            *slog.Logger  // default slog.Default()
}

// DefaultMaxBodyBytes is UpdateKeys' payload quota (3 MB), the largest body any
// operation accepts.
const DefaultMaxBodyBytes = kvs.MaxBatchBytes

// NewHandler returns the data-plane handler with default options except authn and log.
func NewHandler(svc *kvs.Service, authn Authenticator, log *slog.Logger) http.Handler {
	return New(svc, Options{Authenticator: authn, Log: log})
}

// New returns the data-plane handler. It accepts any Host (clients put the account
// first: "<account>.<endpoint host>", spec §5.1) and absolute-form request targets
// (clients that reach it as an HTTP proxy).
func New(svc *kvs.Service, opts Options) http.Handler {
	if opts.DefaultAccount == "" {
		opts.DefaultAccount = DefaultAccount
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	return &handler{svc: svc, opts: opts}
}

type handler struct {
	svc  *kvs.Service
	opts Options
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	requestID := uuid.NewString()
	w.Header()["x-amzn-RequestId"] = []string{requestID}
	rt, err := h.serve(w, r)
	if err != nil {
		e := apierror.As(err)
		if e == nil || e.Internal() {
			// The details are for the log only; the client gets AWS's generic message.
			h.opts.Log.Error("kvsapi: internal error", "op", rt.op, "requestId", requestID, "err", err)
			e = apierror.InternalServerException(apierror.InternalMessage)
		} else if e.Fault() {
			h.opts.Log.Error("kvsapi: server fault", "op", rt.op, "requestId", requestID, "code", e.Code, "message", e.Message)
		}
		writeError(w, e)
		h.opts.Log.Debug("kvsapi", "op", rt.op, "method", r.Method, "path", requestPath(r), "status", e.Status, "code", e.Code, "requestId", requestID)
		return
	}
	h.opts.Log.Debug("kvsapi", "op", rt.op, "method", r.Method, "path", requestPath(r), "status", http.StatusOK, "requestId", requestID)
}

// serve handles one request; a returned error has not been written yet.
func (h *handler) serve(w http.ResponseWriter, r *http.Request) (route, error) {
	rt, rerr := parseRoute(r.Method, requestPath(r))
	if rerr != nil {
		return rt, rerr
	}
	body, err := h.readBody(r, rt.op)
	if err != nil {
		return rt, err
	}
	account := h.opts.DefaultAccount
	if h.opts.Authenticator != nil {
		account, err = h.opts.Authenticator.Authenticate(r, body)
		if err != nil {
			if apierror.As(err) == nil {
				err = apierror.AccessDeniedException("%v", err)
			}
			return rt, err
		}
	}
	return rt, h.dispatch(w, r, rt, account, body)
}

// readBody reads the whole body up to MaxBodyBytes.
func (h *handler) readBody(r *http.Request, op string) ([]byte, error) {
	if r.ContentLength > h.opts.MaxBodyBytes {
		return nil, tooLarge(op, h.opts.MaxBodyBytes)
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, h.opts.MaxBodyBytes+1))
	if err != nil {
		var mbe *http.MaxBytesError // when the server wraps bodies in http.MaxBytesReader
		if errors.As(err, &mbe) {
			return nil, tooLarge(op, h.opts.MaxBodyBytes)
		}
		return nil, apierror.ValidationException("Could not read the request body: %v", err)
	}
	if int64(len(body)) > h.opts.MaxBodyBytes {
		return nil, tooLarge(op, h.opts.MaxBodyBytes)
	}
	return body, nil
}

func tooLarge(op string, limit int64) error {
	if op == opUpdateKeys {
		return apierror.ServiceQuotaExceededException("The request payload is larger than %d bytes.", limit)
	}
	return apierror.ValidationException("The request body is larger than %d bytes.", limit)
}
