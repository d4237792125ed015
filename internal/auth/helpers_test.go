package auth

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/localfront/localfront/internal/apierror"
)

var testCred = Credential{AccessKeyID: "AKIATESTKEY0000001", SecretAccessKey: "test/secret+KEY0123456789abcdefghijklmn", AccountID: "111122223333"}

var testTime = time.Date(2026, 11, 24, 21, 11, 29, 0, time.UTC)

func newTestVerifier(t testing.TB, now time.Time, opts Options) *Verifier {
	t.Helper()
	opts.Clock = func() time.Time { return now }
	v, err := NewVerifier([]Credential{testCred, captureCred}, opts)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func bodyHash(body []byte) string {
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

// newClientRequest builds a request the way an SDK would before signing it.
func newClientRequest(t testing.TB, method, url string, body []byte) *http.Request {
	t.Helper()
	r, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// signWithSDK signs r in place with the AWS SDK's own SigV4 signer, our oracle.
func signWithSDK(t testing.TB, r *http.Request, body []byte, cred Credential, region, service string, at time.Time) {
	t.Helper()
	creds := aws.Credentials{AccessKeyID: cred.AccessKeyID, SecretAccessKey: cred.SecretAccessKey}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, r, bodyHash(body), service, region, at); err != nil {
		t.Fatal(err)
	}
}

// serverView sends a client request over an in-memory wire and reads it back the
// way net/http's server does, so Host, RequestURI and headers are what a handler sees.
func serverView(t testing.TB, r *http.Request) *http.Request {
	t.Helper()
	var wire bytes.Buffer
	if err := r.Write(&wire); err != nil {
		t.Fatal(err)
	}
	s, err := http.ReadRequest(bufio.NewReader(&wire))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// wantAPIError checks that err is an *apierror.Error with this code, status 403 and
// a message starting with msgPrefix.
func wantAPIError(t testing.TB, err error, code, msgPrefix string) {
	t.Helper()
	e := apierror.As(err)
	if e == nil {
		t.Fatalf("error = %v, want *apierror.Error %s", err, code)
	}
	if e.Code != code || e.Status != http.StatusForbidden || !strings.HasPrefix(e.Message, msgPrefix) {
		t.Fatalf("error = %d %s %q\nwant    403 %s %q...", e.Status, e.Code, e.Message, code, msgPrefix)
	}
}
