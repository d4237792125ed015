package cfapi_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront/types"
	"github.com/aws/smithy-go"
)

func js2(comment string) *types.FunctionConfig {
	return &types.FunctionConfig{Comment: aws.String(comment), Runtime: types.FunctionRuntimeCloudfrontJs20}
}

// TestModeledErrorsThroughSDK provokes every function error and checks that the Go SDK
// turns it into its typed error with the model's status.
func TestModeledErrorsThroughSDK(t *testing.T) {
	s := newStack(t, stackOptions{quota: 3})
	ctx := context.Background()
	etag := s.create(t, "one")

	t.Run("InvalidIfMatchVersion", func(t *testing.T) {
		_, err := s.CF.UpdateFunction(ctx, &cloudfront.UpdateFunctionInput{Name: aws.String("one"), IfMatch: aws.String(`"` + etag + `"`), FunctionConfig: js2(""), FunctionCode: []byte(sampleCode)})
		wantAPIError(t, err, "InvalidIfMatchVersion", 400)
		var typed *types.InvalidIfMatchVersion
		if !errors.As(err, &typed) {
			t.Errorf("want *types.InvalidIfMatchVersion, got %T", err)
		}
		_, err = s.CF.DeleteFunction(ctx, &cloudfront.DeleteFunctionInput{Name: aws.String("one"), IfMatch: aws.String("")})
		wantAPIError(t, err, "InvalidIfMatchVersion", 400)
	})
	t.Run("PreconditionFailed", func(t *testing.T) {
		_, err := s.CF.PublishFunction(ctx, &cloudfront.PublishFunctionInput{Name: aws.String("one"), IfMatch: aws.String("E3UN6WX5RRO2AG")})
		wantAPIError(t, err, "PreconditionFailed", 412)
		var typed *types.PreconditionFailed
		if !errors.As(err, &typed) {
			t.Errorf("want *types.PreconditionFailed, got %T", err)
		}
	})
	t.Run("FunctionAlreadyExists", func(t *testing.T) {
		_, err := s.CF.CreateFunction(ctx, &cloudfront.CreateFunctionInput{Name: aws.String("one"), FunctionConfig: js2(""), FunctionCode: []byte(sampleCode)})
		wantAPIError(t, err, "FunctionAlreadyExists", 409)
		var typed *types.FunctionAlreadyExists
		if !errors.As(err, &typed) {
			t.Errorf("want *types.FunctionAlreadyExists, got %T", err)
		}
	})
	t.Run("FunctionSizeLimitExceeded", func(t *testing.T) {
		for _, size := range []int{10241, 40960, 60000} {
			code := bytes.Repeat([]byte("/"), size)
			_, err := s.CF.CreateFunction(ctx, &cloudfront.CreateFunctionInput{Name: aws.String("big"), FunctionConfig: js2(""), FunctionCode: code})
			wantAPIError(t, err, "FunctionSizeLimitExceeded", 413)
			var typed *types.FunctionSizeLimitExceeded
			if !errors.As(err, &typed) {
				t.Errorf("size %d: want *types.FunctionSizeLimitExceeded, got %T", size, err)
			}
			_, err = s.CF.UpdateFunction(ctx, &cloudfront.UpdateFunctionInput{Name: aws.String("one"), IfMatch: aws.String(etag), FunctionConfig: js2(""), FunctionCode: code})
			wantAPIError(t, err, "FunctionSizeLimitExceeded", 413)
		}
	})
	t.Run("NoSuchFunctionExists", func(t *testing.T) {
		_, err := s.CF.GetFunction(ctx, &cloudfront.GetFunctionInput{Name: aws.String("nope")})
		wantAPIError(t, err, "NoSuchFunctionExists", 404)
		var typed *types.NoSuchFunctionExists
		if !errors.As(err, &typed) {
			t.Errorf("want *types.NoSuchFunctionExists, got %T", err)
		}
		_, err = s.CF.TestFunction(ctx, &cloudfront.TestFunctionInput{Name: aws.String("nope"), IfMatch: aws.String(etag), EventObject: []byte("{}")})
		wantAPIError(t, err, "NoSuchFunctionExists", 404)
	})
	t.Run("InvalidArgument", func(t *testing.T) {
		_, err := s.CF.CreateFunction(ctx, &cloudfront.CreateFunctionInput{Name: aws.String("two"), FunctionConfig: js2(strings.Repeat("c", 129)), FunctionCode: []byte(sampleCode)})
		wantAPIError(t, err, "InvalidArgument", 400)
		var typed *types.InvalidArgument
		if !errors.As(err, &typed) {
			t.Errorf("want *types.InvalidArgument, got %T", err)
		}
		_, err = s.CF.CreateFunction(ctx, &cloudfront.CreateFunctionInput{Name: aws.String("two"), FunctionConfig: &types.FunctionConfig{Comment: aws.String(""), Runtime: "cloudfront-js-9.0"}, FunctionCode: []byte(sampleCode)})
		wantAPIError(t, err, "InvalidArgument", 400)
		_, err = s.CF.DescribeFunction(ctx, &cloudfront.DescribeFunctionInput{Name: aws.String("one"), Stage: "STAGING"})
		wantAPIError(t, err, "InvalidArgument", 400)
	})
	t.Run("MalformedXML name", func(t *testing.T) {
		_, err := s.CF.CreateFunction(ctx, &cloudfront.CreateFunctionInput{Name: aws.String("bad name!"), FunctionConfig: js2(""), FunctionCode: []byte(sampleCode)})
		wantAPIError(t, err, "MalformedXML", 400)
		// A name that only an escaped-path router keeps whole: "a/b" arrives as a%2Fb.
		_, err = s.CF.DescribeFunction(ctx, &cloudfront.DescribeFunctionInput{Name: aws.String("a/b")})
		wantAPIError(t, err, "MalformedXML", 400)
		var apiErr smithy.APIError
		errors.As(err, &apiErr)
		if !strings.Contains(apiErr.ErrorMessage(), "'a/b'") {
			t.Errorf("message %q does not name the decoded name a/b", apiErr.ErrorMessage())
		}
	})
	t.Run("TooManyFunctions", func(t *testing.T) {
		s.create(t, "two")
		s.create(t, "three")
		_, err := s.CF.CreateFunction(ctx, &cloudfront.CreateFunctionInput{Name: aws.String("four"), FunctionConfig: js2(""), FunctionCode: []byte(sampleCode)})
		wantAPIError(t, err, "TooManyFunctions", 400)
		var typed *types.TooManyFunctions
		if !errors.As(err, &typed) {
			t.Errorf("want *types.TooManyFunctions, got %T", err)
		}
	})
	t.Run("UnsupportedOperation for unimplemented CloudFront APIs", func(t *testing.T) {
		_, err := s.CF.ListDistributions(ctx, &cloudfront.ListDistributionsInput{})
		wantAPIError(t, err, "UnsupportedOperation", 400)
	})
}

var envelopeRE = regexp.MustCompile(`^<\?xml version="1.0" encoding="UTF-8"\?>\n<ErrorResponse xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Error><Type>(Sender|Receiver)</Type><Code>([A-Za-z]+)</Code><Message>[^<]+</Message></Error><RequestId>([0-9a-f-]{36})</RequestId></ErrorResponse>$`)

// TestBadRequestsGetTheEnvelope sends what no SDK would: broken XML and base64, oversized
// and chunked bodies, unknown routes and methods. Each gets the exact error envelope, with
// the same request id in the header and the body.
func TestBadRequestsGetTheEnvelope(t *testing.T) {
	s := newStack(t, stackOptions{})
	etag := s.create(t, "target")
	const ns = `xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"`
	create := func(name, code string) string {
		return `<CreateFunctionRequest ` + ns + `><Name>` + name + `</Name><FunctionConfig><Comment/><Runtime>cloudfront-js-2.0</Runtime></FunctionConfig><FunctionCode>` + code + `</FunctionCode></CreateFunctionRequest>`
	}
	ifMatch := http.Header{"If-Match": {etag}}
	cases := []struct {
		name, method, path string
		header             http.Header
		body               string
		status             int
		code               string
		inMessage          string
	}{
		{"truncated XML", "POST", "/2020-05-31/function", nil, `<CreateFunctionRequest ` + ns + `><Name>x</Name>`, 400, "MalformedXML", "not well-formed"},
		{"empty body", "POST", "/2020-05-31/function", nil, "", 400, "MalformedXML", "empty"},
		{"wrong root", "POST", "/2020-05-31/function", nil, `<UpdateFunctionRequest ` + ns + `/>`, 400, "MalformedXML", "CreateFunctionRequest"},
		{"wrong namespace", "POST", "/2020-05-31/function", nil, `<CreateFunctionRequest xmlns="urn:other"/>`, 400, "MalformedXML", "namespace"},
		{"two roots", "POST", "/2020-05-31/function", nil, create("x", "YQ==") + `<CreateFunctionRequest/>`, 400, "MalformedXML", "after"},
		{"not XML", "POST", "/2020-05-31/function", nil, `{"Name":"x"}`, 400, "MalformedXML", "well-formed"},
		{"bad base64", "POST", "/2020-05-31/function", nil, create("x", "not base64!"), 400, "InvalidArgument", "base64"},
		{"unpadded base64", "POST", "/2020-05-31/function", nil, create("x", "YQ"), 400, "InvalidArgument", "base64"},
		{"url-safe base64", "POST", "/2020-05-31/function", nil, create("x", "-_-_"), 400, "InvalidArgument", "base64"},
		{"bad Quantity", "PUT", "/2020-05-31/function/target", ifMatch, `<UpdateFunctionRequest ` + ns + `><FunctionConfig><Comment/><Runtime>cloudfront-js-2.0</Runtime><KeyValueStoreAssociations><Quantity>two</Quantity></KeyValueStoreAssociations></FunctionConfig><FunctionCode>YQ==</FunctionCode></UpdateFunctionRequest>`, 400, "MalformedXML", "not well-formed"},
		{"Quantity mismatch", "PUT", "/2020-05-31/function/target", ifMatch, `<UpdateFunctionRequest ` + ns + `><FunctionConfig><Comment/><Runtime>cloudfront-js-2.0</Runtime><KeyValueStoreAssociations><Quantity>1</Quantity></KeyValueStoreAssociations></FunctionConfig><FunctionCode>YQ==</FunctionCode></UpdateFunctionRequest>`, 400, "InvalidArgument", "Quantity"},
		{"bad EventObject", "POST", "/2020-05-31/function/target/test", ifMatch, `<TestFunctionRequest ` + ns + `><EventObject>%%%</EventObject></TestFunctionRequest>`, 400, "InvalidArgument", "EventObject"},
		{"MaxItems not a number", "GET", "/2020-05-31/function?MaxItems=ten", nil, "", 400, "InvalidArgument", "MaxItems"},
		{"oversized create", "POST", "/2020-05-31/function", nil, create("x", strings.Repeat("QUFB", 40000)), 413, "FunctionSizeLimitExceeded", "larger than"},
		{"oversized test", "POST", "/2020-05-31/function/target/test", ifMatch, strings.Repeat(" ", 200000), 413, "RequestEntityTooLarge", "larger than"},
		{"unknown path", "GET", "/nothing/here", nil, "", 404, "NoSuchResource", "/nothing/here"},
		{"unimplemented API", "GET", "/2020-05-31/distribution", nil, "", 400, "UnsupportedOperation", "/2020-05-31/distribution"},
		{"wrong method", "PATCH", "/2020-05-31/function", nil, "", 405, "MethodNotAllowed", "GET, POST"},
		{"wrong method on action", "GET", "/2020-05-31/function/target/publish", nil, "", 405, "MethodNotAllowed", "POST"},
		{"tagging without Operation", "POST", "/2020-05-31/tagging?Resource=arn:aws:cloudfront::123456789012:function/target", nil, "<Tags/>", 400, "InvalidArgument", "Operation"},
		{"tagging without Resource", "GET", "/2020-05-31/tagging", nil, "", 400, "InvalidArgument", "Resource"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, h, body := s.do(t, c.method, c.path, c.header, c.body)
			if status != c.status {
				t.Fatalf("status %d, want %d; body %s", status, c.status, body)
			}
			m := envelopeRE.FindStringSubmatch(body)
			if m == nil {
				t.Fatalf("not the error envelope:\n%s", body)
			}
			if m[2] != c.code {
				t.Errorf("code %s, want %s", m[2], c.code)
			}
			if m[1] != "Sender" {
				t.Errorf("type %s, want Sender", m[1])
			}
			if h.Get("x-amzn-RequestId") != m[3] {
				t.Errorf("x-amzn-RequestId %q, body RequestId %q", h.Get("x-amzn-RequestId"), m[3])
			}
			if h.Get("Content-Type") != "text/xml" || h.Get("Content-Length") != itoa(len(body)) {
				t.Errorf("Content-Type %q Content-Length %q (body %d bytes)", h.Get("Content-Type"), h.Get("Content-Length"), len(body))
			}
			if !strings.Contains(body, c.inMessage) {
				t.Errorf("message does not mention %q: %s", c.inMessage, body)
			}
			if c.code == "MethodNotAllowed" && h.Get("Allow") == "" {
				t.Error("405 without Allow header")
			}
		})
	}
	// Nothing above changed the function.
	desc, err := s.CF.DescribeFunction(context.Background(), &cloudfront.DescribeFunctionInput{Name: aws.String("target")})
	if err != nil || aws.ToString(desc.ETag) != etag {
		t.Fatalf("target changed: %v %v", err, desc)
	}
}

// TestChunkedOversizedBody checks the cap also holds without a Content-Length.
func TestChunkedOversizedBody(t *testing.T) {
	s := newStack(t, stackOptions{maxBody: 1000})
	req, _ := http.NewRequest("POST", s.URL+"/2020-05-31/function", &slowReader{n: 5000})
	req.ContentLength = -1
	resp, err := s.HTTP.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if m := envelopeRE.FindStringSubmatch(string(body)); resp.StatusCode != 413 || m == nil || m[2] != "FunctionSizeLimitExceeded" {
		t.Fatalf("status %d body %s, want 413 FunctionSizeLimitExceeded", resp.StatusCode, body)
	}
}

// slowReader yields n bytes of spaces, a few at a time, as a chunked upload would.
type slowReader struct{ n int }

func (r *slowReader) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, errEOF
	}
	k := min(len(p), r.n, 100)
	for i := range k {
		p[i] = ' '
	}
	r.n -= k
	return k, nil
}

// TestConcurrentUpdatesOneWins sends N UpdateFunction calls with the same If-Match at
// once: optimistic concurrency lets exactly one through; the rest get 412.
func TestConcurrentUpdatesOneWins(t *testing.T) {
	s := newStack(t, stackOptions{durable: true})
	etag := s.create(t, "contended")
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	etags := make([]string, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, err := s.CF.UpdateFunction(context.Background(), &cloudfront.UpdateFunctionInput{
				Name: aws.String("contended"), IfMatch: aws.String(etag), FunctionConfig: js2(itoa(i)), FunctionCode: []byte(sampleCode),
			})
			errs[i] = err
			if err == nil {
				etags[i] = aws.ToString(out.ETag)
			}
		}()
	}
	wg.Wait()
	wins := 0
	var winner string
	for i, err := range errs {
		if err == nil {
			wins++
			winner = etags[i]
			continue
		}
		wantAPIError(t, err, "PreconditionFailed", 412)
	}
	if wins != 1 {
		t.Fatalf("%d updates succeeded, want exactly 1", wins)
	}
	desc, err := s.CF.DescribeFunction(context.Background(), &cloudfront.DescribeFunctionInput{Name: aws.String("contended")})
	if err != nil || aws.ToString(desc.ETag) != winner {
		t.Fatalf("current ETag %q, winner's %q (%v)", aws.ToString(desc.ETag), winner, err)
	}
}

// TestTruncatedBody: a client that promises more body than it sends gets a 400 envelope,
// not a hang or a 500.
func TestTruncatedBody(t *testing.T) {
	s := newStack(t, stackOptions{})
	conn, err := net.Dial("tcp", s.server.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(20 * time.Second))
	io.WriteString(conn, "POST /2020-05-31/function HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n<CreateFun")
	conn.(*net.TCPConn).CloseWrite()
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	if m := envelopeRE.FindStringSubmatch(string(body)); resp.StatusCode != 400 || m == nil || m[2] != "IncompleteBody" {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
}
