package cfapi_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront/types"
	"github.com/aws/smithy-go"
	smithymiddleware "github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/localfront/localfront/internal/cfapi"
	"github.com/localfront/localfront/internal/functions"
	"github.com/localfront/localfront/internal/runtime"
	"github.com/localfront/localfront/internal/sdkhttp"
	"github.com/localfront/localfront/internal/store"
	"github.com/localfront/localfront/internal/store/sqlite"
)

// stack is the real control plane over HTTP: sqlite store, functions service, runtime,
// cfapi, httptest server, and an AWS SDK client pointed at it.
type stack struct {
	URL    string
	CF     *cloudfront.Client
	HTTP   *http.Client
	Svc    *functions.Service
	API    http.Handler
	server *httptest.Server
}

type stackOptions struct {
	quota   int
	durable bool // sqlite file in t.TempDir() instead of memory
	auth    cfapi.Authenticator
	maxBody int64
}

func newStack(tb testing.TB, o stackOptions) *stack {
	tb.Helper()
	var st store.Store
	var err error
	if o.durable {
		st, err = sqlite.Open(filepath.Join(tb.TempDir(), "localfront.db"))
	} else {
		st, err = sqlite.OpenMemory()
	}
	if err != nil {
		tb.Fatal(err)
	}
	svc := functions.New(st, runtime.NewEngine(runtime.Options{}), functions.Options{AccountQuota: o.quota})
	api := cfapi.New(svc, cfapi.Options{Auth: o.auth, MaxBodyBytes: o.maxBody})
	srv := httptest.NewServer(api)
	tb.Cleanup(func() {
		srv.Close()
		st.Close()
	})
	s := &stack{URL: srv.URL, HTTP: srv.Client(), Svc: svc, API: api, server: srv}
	s.CF = newClient(s.URL, s.HTTP, "AKIDEXAMPLE", "secret")
	return s
}

// newClient is the real AWS SDK client for CloudFront, without retries.
func newClient(url string, hc *http.Client, key, secret string) *cloudfront.Client {
	return cloudfront.NewFromConfig(aws.Config{
		Region:           "us-east-1",
		Credentials:      credentials.NewStaticCredentialsProvider(key, secret, ""),
		BaseEndpoint:     aws.String(url),
		HTTPClient:       sdkhttp.Client(hc), // see internal/sdkhttp: an SDK race drops connections
		RetryMaxAttempts: 1,
	})
}

const sampleCode = `function handler(event) {
    var request = event.request;
    request.headers['x-test'] = { value: 'yes' };
    return request;
}
`

// create makes a function through the SDK and returns its ETag.
func (s *stack) create(t testing.TB, name string) string {
	t.Helper()
	out, err := s.CF.CreateFunction(context.Background(), &cloudfront.CreateFunctionInput{
		Name:           aws.String(name),
		FunctionConfig: &types.FunctionConfig{Comment: aws.String("test"), Runtime: types.FunctionRuntimeCloudfrontJs20},
		FunctionCode:   []byte(sampleCode),
	})
	if err != nil {
		t.Fatalf("CreateFunction %s: %v", name, err)
	}
	return aws.ToString(out.ETag)
}

// rawResponse is the HTTP response behind an SDK result.
func rawResponse(t testing.TB, md smithymiddleware.Metadata) *http.Response {
	t.Helper()
	r, ok := awsmiddleware.GetRawResponse(md).(*smithyhttp.Response)
	if !ok {
		t.Fatal("no raw HTTP response in the result metadata")
	}
	return r.Response
}

// wantAPIError asserts err is an API error with this code and HTTP status, and that the
// server's request id came along.
func wantAPIError(t testing.TB, err error, code string, status int) {
	t.Helper()
	if err == nil {
		t.Fatalf("want %s (%d), got success", code, status)
	}
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("want API error %s, got %T: %v", code, err, err)
	}
	if apiErr.ErrorCode() != code {
		t.Fatalf("want code %s, got %s (%s)", code, apiErr.ErrorCode(), apiErr.ErrorMessage())
	}
	var re *smithyhttp.ResponseError
	if !errors.As(err, &re) {
		t.Fatalf("no HTTP response in %v", err)
	}
	if re.HTTPStatusCode() != status {
		t.Fatalf("%s: want status %d, got %d", code, status, re.HTTPStatusCode())
	}
	if re.Response.Header.Get("x-amzn-RequestId") == "" {
		t.Fatalf("%s: no x-amzn-RequestId header", code)
	}
	if apiErr.ErrorMessage() == "" {
		t.Fatalf("%s: empty message", code)
	}
}

// do sends a raw request and returns status, headers and body.
func (s *stack) do(t testing.TB, method, path string, header http.Header, body string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := s.HTTP.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, string(b)
}

func describeInput(name string) *cloudfront.DescribeFunctionInput {
	return &cloudfront.DescribeFunctionInput{Name: aws.String(name)}
}

var errEOF = io.EOF

func itoa(i int) string { return strconv.Itoa(i) }
