package auth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	cftypes "github.com/aws/aws-sdk-go-v2/service/cloudfront/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudfrontkeyvaluestore"
	kvstypes "github.com/aws/aws-sdk-go-v2/service/cloudfrontkeyvaluestore/types"
	"github.com/aws/smithy-go"

	"github.com/localfront/localfront/internal/apierror"
	"github.com/localfront/localfront/internal/sdkhttp"
)

// seen is one request as the test server received and judged it.
type seen struct {
	host, path string
	cred       Credential
	err        *apierror.Error
}

// verifyingServer answers every request after running Verify on it: 403 with the
// error in the protocol's envelope, or 200 with a JSON body that satisfies every
// KVS operation's output (control-plane callers ignore the body).
type verifyingServer struct {
	*httptest.Server
	mu   sync.Mutex
	seen []seen
}

func newVerifyingServer(t *testing.T, v *Verifier, jsonErrors bool) *verifyingServer {
	s := &verifyingServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			t.Error(err)
			return
		}
		cred, verr := v.Verify(r, body)
		rec := seen{host: r.Host, path: r.URL.EscapedPath(), cred: cred, err: apierror.As(verr)}
		s.mu.Lock()
		s.seen = append(s.seen, rec)
		s.mu.Unlock()
		switch {
		case rec.err != nil && jsonErrors:
			e := JSONProtocolError(rec.err)
			w.Header().Set("x-amzn-ErrorType", e.Code)
			w.WriteHeader(e.Status)
			fmt.Fprintf(w, `{"__type":%q,"Message":%q}`, e.Code, e.Message)
		case rec.err != nil:
			w.WriteHeader(rec.err.Status)
			fmt.Fprintf(w, `<ErrorResponse xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Error><Type>Sender</Type><Code>%s</Code><Message>x</Message></Error><RequestId>r</RequestId></ErrorResponse>`, rec.err.Code)
		default:
			w.Header().Set("ETag", "E1")
			fmt.Fprint(w, `{"ItemCount":1,"TotalSizeInBytes":4,"KvsARN":"a","Created":1.7e9,"Key":"k","Value":"v","Items":[]}`)
		}
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *verifyingServer) take() []seen {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.seen
	s.seen = nil
	return out
}

// dialServer sends every connection to the test server, whatever host the SDK
// built (the KVS endpoint rules prepend the account id to the host, wire.md).
func (s *verifyingServer) httpClient() *http.Client {
	addr := s.Listener.Addr().String()
	// sdkhttp: the SDK's own request-body race would otherwise drop connections.
	return sdkhttp.Client(&http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, addr)
		},
	}})
}

const testKVSARN = "arn:aws:cloudfront::123456789012:key-value-store/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111"

func newKVSClient(s *verifyingServer, secret string) *cloudfrontkeyvaluestore.Client {
	_, port, _ := net.SplitHostPort(s.Listener.Addr().String())
	return cloudfrontkeyvaluestore.New(cloudfrontkeyvaluestore.Options{
		Region:           "us-east-1",
		BaseEndpoint:     aws.String("http://localhost:" + port),
		Credentials:      credentials.NewStaticCredentialsProvider(testCred.AccessKeyID, secret, ""),
		HTTPClient:       s.httpClient(),
		RetryMaxAttempts: 1,
	})
}

// The real KVS client signs with SigV4A; every operation it sends must verify.
func TestSigV4AFromSDKClientVerifies(t *testing.T) {
	v, err := NewVerifier([]Credential{testCred}, Options{Services: []string{"cloudfront-keyvaluestore"}})
	if err != nil {
		t.Fatal(err)
	}
	s := newVerifyingServer(t, v, true)
	client := newKVSClient(s, testCred.SecretAccessKey)
	ctx := context.Background()
	arn := aws.String(testKVSARN)
	calls := map[string]func() error{
		"DescribeKeyValueStore": func() error {
			_, err := client.DescribeKeyValueStore(ctx, &cloudfrontkeyvaluestore.DescribeKeyValueStoreInput{KvsARN: arn})
			return err
		},
		"GetKey with slash and space": func() error {
			_, err := client.GetKey(ctx, &cloudfrontkeyvaluestore.GetKeyInput{KvsARN: arn, Key: aws.String("dir/a b")})
			return err
		},
		"ListKeys": func() error {
			_, err := client.ListKeys(ctx, &cloudfrontkeyvaluestore.ListKeysInput{KvsARN: arn, MaxResults: aws.Int32(5), NextToken: aws.String("tok+en/=")})
			return err
		},
		"PutKey": func() error {
			_, err := client.PutKey(ctx, &cloudfrontkeyvaluestore.PutKeyInput{KvsARN: arn, Key: aws.String("k1"), Value: aws.String("v1"), IfMatch: aws.String("E0")})
			return err
		},
		"DeleteKey": func() error {
			_, err := client.DeleteKey(ctx, &cloudfrontkeyvaluestore.DeleteKeyInput{KvsARN: arn, Key: aws.String("k1"), IfMatch: aws.String("E0")})
			return err
		},
		"UpdateKeys": func() error {
			_, err := client.UpdateKeys(ctx, &cloudfrontkeyvaluestore.UpdateKeysInput{KvsARN: arn, IfMatch: aws.String("E0"),
				Puts:    []kvstypes.PutKeyRequestListItem{{Key: aws.String("a"), Value: aws.String("1")}},
				Deletes: []kvstypes.DeleteKeyRequestListItem{{Key: aws.String("b")}}})
			return err
		},
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			if err := call(); err != nil {
				t.Fatalf("client: %v", err)
			}
			got := s.take()
			if len(got) != 1 || got[0].err != nil || got[0].cred != testCred {
				t.Fatalf("server saw %+v", got)
			}
			if !strings.HasPrefix(got[0].host, "123456789012.localhost:") || !strings.HasPrefix(got[0].path, "/key-value-stores/arn%3Aaws%3Acloudfront") {
				t.Fatalf("request went to %s%s, not the account-prefixed KVS endpoint", got[0].host, got[0].path)
			}
		})
	}

	t.Run("wrong secret", func(t *testing.T) {
		bad := newKVSClient(s, "wrong-secret")
		_, err := bad.GetKey(ctx, &cloudfrontkeyvaluestore.GetKeyInput{KvsARN: arn, Key: aws.String("k")})
		var apiErr smithy.APIError
		if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "InvalidSignatureException" {
			t.Fatalf("client error = %v, want InvalidSignatureException", err)
		}
		got := s.take()
		if len(got) != 1 || got[0].err == nil || got[0].err.Code != "SignatureDoesNotMatch" {
			t.Fatalf("server saw %+v", got)
		}
	})
}

// The real control-plane client (SigV4, any region) verifies end to end too, and a
// wrong secret surfaces to it as SignatureDoesNotMatch.
func TestSigV4FromSDKClientVerifies(t *testing.T) {
	v, err := NewVerifier([]Credential{testCred}, Options{Services: []string{"cloudfront"}})
	if err != nil {
		t.Fatal(err)
	}
	s := newVerifyingServer(t, v, false)
	newClient := func(secret string) *cloudfront.Client {
		return cloudfront.New(cloudfront.Options{
			Region:           "eu-west-1",
			BaseEndpoint:     aws.String(s.URL),
			Credentials:      credentials.NewStaticCredentialsProvider(testCred.AccessKeyID, secret, ""),
			HTTPClient:       s.httpClient(),
			RetryMaxAttempts: 1,
		})
	}
	ctx := context.Background()
	client := newClient(testCred.SecretAccessKey)
	// The server's JSON body is not what these operations expect, so the client may
	// fail to parse the answer; what matters here is what the server decided.
	_, _ = client.DescribeFunction(ctx, &cloudfront.DescribeFunctionInput{Name: aws.String("bad name!"), Stage: "LIVE"})
	_, _ = client.CreateFunction(ctx, &cloudfront.CreateFunctionInput{Name: aws.String("fn"), FunctionCode: []byte("function handler(e){return e.request}"),
		FunctionConfig: &cftypes.FunctionConfig{Comment: aws.String("c"), Runtime: cftypes.FunctionRuntimeCloudfrontJs20}})
	_, _ = client.DeleteFunction(ctx, &cloudfront.DeleteFunctionInput{Name: aws.String("fn"), IfMatch: aws.String("E1")})
	got := s.take()
	if len(got) != 3 {
		t.Fatalf("server saw %d requests, want 3", len(got))
	}
	for _, g := range got {
		if g.err != nil || g.cred != testCred {
			t.Errorf("%s: %+v", g.path, g)
		}
	}
	if got[0].path != "/2020-05-31/function/bad%20name%21/describe" {
		t.Errorf("path = %q", got[0].path)
	}

	_, err = newClient("wrong-secret").ListFunctions(ctx, &cloudfront.ListFunctionsInput{})
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "SignatureDoesNotMatch" {
		t.Fatalf("client error = %v, want SignatureDoesNotMatch", err)
	}
}
