package server

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/localfront/localfront/internal/apierror"
	"github.com/localfront/localfront/internal/auth"
	"github.com/localfront/localfront/internal/kvs"
	"github.com/localfront/localfront/internal/kvsapi"
	"github.com/localfront/localfront/internal/runtime"
)

// dataPlanePrefix is where the cloudfront-keyvaluestore data plane lives on the API
// listener. Its paths never collide with the control plane's /2020-05-31/... paths.
const dataPlanePrefix = "/key-value-stores/"

// newKVS builds the key value store service over the server's store.
func (s *Server) newKVS() *kvs.Service {
	return kvs.New(s.store, kvs.Options{Clock: s.cfg.Clock, Log: s.log, Import: s.cfg.KVSImportPolicy()})
}

// newDataPlane builds the data-plane handler. With credentials configured every request
// must carry a valid signature (SigV4A from the SDKs) for the cloudfront-keyvaluestore
// service; authentication failures get the JSON protocol's error names.
func (s *Server) newDataPlane() (http.Handler, error) {
	var authn kvsapi.Authenticator
	if len(s.cfg.Credentials) > 0 {
		v, err := auth.NewVerifier(s.cfg.Credentials, auth.Options{Services: []string{"cloudfront-keyvaluestore"}})
		if err != nil {
			return nil, fmt.Errorf("server: credentials: %w", err)
		}
		authn = kvsapi.AuthenticatorFunc(func(r *http.Request, body []byte) (string, error) {
			cred, err := v.Verify(r, body)
			if err != nil {
				if e := apierror.As(err); e != nil {
					return "", auth.JSONProtocolError(e)
				}
				return "", err
			}
			return cred.AccountID, nil
		})
	}
	return kvsapi.New(s.kvs, kvsapi.Options{
		Authenticator:  authn,
		DefaultAccount: s.cfg.AccountID,
		Log:            s.log,
	}), nil
}

// isDataPlane reports whether a request is for the data plane. r.URL.Path is the
// decoded path of an origin-form target and of an absolute-form one alike (clients that
// use the server as an HTTP proxy send "PUT http://123456789012.localhost:PORT/key-value-stores/…"),
// and any Host is accepted: SDKs put the account in front of the endpoint host (spec §5.1).
func isDataPlane(r *http.Request) bool {
	return strings.HasPrefix(r.URL.Path, dataPlanePrefix)
}

// KVS is the key value store service, for embedding programs and tests.
func (s *Server) KVS() *kvs.Service { return s.kvs }

// kvsReaders gives function runs (TestFunction, and the edge) the current snapshot of a
// store: functions.KVSReaderSource over the KVS service.
type kvsReaders struct{ svc *kvs.Service }

func (k kvsReaders) KVSReader(ctx context.Context, arn string) (runtime.KVSReader, error) {
	sn, err := k.svc.Snapshot(ctx, arn)
	if err != nil {
		if e := apierror.As(err); e != nil && e.Code == "ResourceNotFoundException" {
			// Deleted in the instant after an association check: run without a store
			// (cf.kvs() then fails in the function) rather than fail the whole call.
			return nil, nil
		}
		return nil, err
	}
	return sn, nil
}
