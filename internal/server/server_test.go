package server_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/localfront/localfront/internal/auth"
	"github.com/localfront/localfront/internal/sdkhttp"
	"github.com/localfront/localfront/internal/server"
)

const code = "function handler(event) { return event.request; }"

func start(t *testing.T, cfg server.Config) (*server.Server, *httptest.Server) {
	t.Helper()
	srv, err := server.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(func() {
		hs.Close()
		srv.Close()
	})
	return srv, hs
}

func client(hs *httptest.Server, key, secret string) *cloudfront.Client {
	return cloudfront.NewFromConfig(aws.Config{
		Region:           "eu-west-1", // any region signs; the server must not insist on us-east-1
		BaseEndpoint:     aws.String(hs.URL),
		Credentials:      credentials.NewStaticCredentialsProvider(key, secret, ""),
		HTTPClient:       sdkhttp.Client(hs.Client()), // see internal/sdkhttp: an SDK race drops connections
		RetryMaxAttempts: 1,
	})
}

func create(ctx context.Context, cf *cloudfront.Client, name string) (*cloudfront.CreateFunctionOutput, error) {
	return cf.CreateFunction(ctx, &cloudfront.CreateFunctionInput{
		Name:           aws.String(name),
		FunctionConfig: &types.FunctionConfig{Comment: aws.String(""), Runtime: types.FunctionRuntimeCloudfrontJs20},
		FunctionCode:   []byte(code),
	})
}

func wantCode(t *testing.T, err error, code string, status int) {
	t.Helper()
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != code {
		t.Fatalf("want %s, got %v", code, err)
	}
	var re *smithyhttp.ResponseError
	if !errors.As(err, &re) || re.HTTPStatusCode() != status {
		t.Fatalf("want status %d for %s, got %v", status, code, err)
	}
}

var twoAccounts = []auth.Credential{
	{AccessKeyID: "AKIDALICE", SecretAccessKey: "alice-secret", AccountID: "111111111111"},
	{AccessKeyID: "AKIDBOB", SecretAccessKey: "bob-secret", AccountID: "222222222222"},
}

// TestAccountsAreIsolated: with two credentials, each key acts for its own account and
// sees only that account's functions.
func TestAccountsAreIsolated(t *testing.T) {
	_, hs := start(t, server.Config{InMemory: true, Credentials: twoAccounts})
	ctx := context.Background()
	alice, bob := client(hs, "AKIDALICE", "alice-secret"), client(hs, "AKIDBOB", "bob-secret")

	out, err := create(ctx, alice, "shared-name")
	if err != nil {
		t.Fatal(err)
	}
	if arn := aws.ToString(out.FunctionSummary.FunctionMetadata.FunctionARN); arn != "arn:aws:cloudfront::111111111111:function/shared-name" {
		t.Errorf("alice's ARN %s", arn)
	}
	_, err = bob.DescribeFunction(ctx, &cloudfront.DescribeFunctionInput{Name: aws.String("shared-name")})
	wantCode(t, err, "NoSuchFunctionExists", 404)
	list, err := bob.ListFunctions(ctx, &cloudfront.ListFunctionsInput{})
	if err != nil || len(list.FunctionList.Items) != 0 {
		t.Fatalf("bob lists %v, %v; want nothing", list, err)
	}
	// The same name is free in bob's account.
	out, err = create(ctx, bob, "shared-name")
	if err != nil {
		t.Fatal(err)
	}
	if arn := aws.ToString(out.FunctionSummary.FunctionMetadata.FunctionARN); arn != "arn:aws:cloudfront::222222222222:function/shared-name" {
		t.Errorf("bob's ARN %s", arn)
	}
	// Bob cannot tag alice's function through its ARN.
	_, err = bob.ListTagsForResource(ctx, &cloudfront.ListTagsForResourceInput{Resource: aws.String("arn:aws:cloudfront::111111111111:function/shared-name")})
	if err == nil {
		t.Fatal("bob read the tags of alice's function")
	}
}

// TestSignatureFailuresThroughSDK: a wrong secret, an unknown key and an unsigned request
// are refused with AWS's codes, in the error envelope the SDK parses.
func TestSignatureFailuresThroughSDK(t *testing.T) {
	_, hs := start(t, server.Config{InMemory: true, Credentials: twoAccounts})
	ctx := context.Background()

	_, err := create(ctx, client(hs, "AKIDALICE", "wrong-secret"), "x")
	wantCode(t, err, "SignatureDoesNotMatch", 403)
	_, err = create(ctx, client(hs, "AKIDNOBODY", "secret"), "x")
	wantCode(t, err, "InvalidClientTokenId", 403)

	resp, err := hs.Client().Get(hs.URL + "/2020-05-31/function")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 403 || !strings.Contains(string(body), "<Code>MissingAuthenticationToken</Code>") || resp.Header.Get("x-amzn-RequestId") == "" {
		t.Errorf("unsigned request: %d %s", resp.StatusCode, body)
	}
	// Nothing was created by the refused calls.
	list, err := client(hs, "AKIDALICE", "alice-secret").ListFunctions(ctx, &cloudfront.ListFunctionsInput{})
	if err != nil || len(list.FunctionList.Items) != 0 {
		t.Fatalf("list after refused calls: %v %v", list, err)
	}
}

// TestNoCredentialsAcceptsAnything: without credentials, unsigned requests and requests
// signed with any key all act for the configured account.
func TestNoCredentialsAcceptsAnything(t *testing.T) {
	_, hs := start(t, server.Config{InMemory: true, AccountID: "999999999999"})
	ctx := context.Background()
	out, err := create(ctx, client(hs, "AKIDUNKNOWN", "whatever"), "anyone")
	if err != nil {
		t.Fatal(err)
	}
	if arn := aws.ToString(out.FunctionSummary.FunctionMetadata.FunctionARN); arn != "arn:aws:cloudfront::999999999999:function/anyone" {
		t.Errorf("ARN %s", arn)
	}
	resp, err := hs.Client().Get(hs.URL + "/2020-05-31/function/anyone/describe")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("ETag") == "" {
		t.Errorf("unsigned describe: %d", resp.StatusCode)
	}
}

func TestHealth(t *testing.T) {
	_, hs := start(t, server.Config{InMemory: true, Credentials: twoAccounts})
	resp, err := hs.Client().Get(hs.URL + server.HealthPath) // no signature needed
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"ok"`) {
		t.Errorf("health: %d %s", resp.StatusCode, body)
	}
	if resp.Header.Get("x-amzn-RequestId") == "" {
		t.Error("health: no x-amzn-RequestId")
	}
}

// TestDurableAcrossRestart: what a durable server acknowledged is there after it is closed
// and reopened on the same directory, and two servers cannot share a directory.
func TestDurableAcrossRestart(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	srv, err := server.New(server.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := server.New(server.Config{DataDir: dir}); err == nil || !strings.Contains(err.Error(), "in use") {
		t.Fatalf("a second server on the same data dir: %v", err)
	}
	hs := httptest.NewServer(srv.Handler())
	out, err := create(ctx, client(hs, "k", "s"), "durable")
	if err != nil {
		t.Fatal(err)
	}
	hs.Close()
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}

	_, hs2 := start(t, server.Config{DataDir: dir})
	desc, err := client(hs2, "k", "s").DescribeFunction(ctx, &cloudfront.DescribeFunctionInput{Name: aws.String("durable")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(desc.ETag) != aws.ToString(out.ETag) {
		t.Errorf("ETag after restart %s, before %s", aws.ToString(desc.ETag), aws.ToString(out.ETag))
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	if _, err := server.New(server.Config{}); err == nil {
		t.Error("no data dir and not in memory: want an error")
	}
	dup := append([]auth.Credential{}, twoAccounts[0], twoAccounts[0])
	if _, err := server.New(server.Config{InMemory: true, Credentials: dup}); err == nil {
		t.Error("duplicate access key: want an error")
	}
}

// TestGracefulShutdown: Shutdown lets a request that is being handled finish, refuses new
// connections, and Close then closes the store.
func TestGracefulShutdown(t *testing.T) {
	srv, err := server.New(server.Config{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(l) }()
	addr := l.Addr().String()

	// One keep-alive connection: a first request proves the server has accepted it,
	// then a second request is sent up to half of its body and left in flight.
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(20 * time.Second))
	br := bufio.NewReader(conn)
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\n\r\n", server.HealthPath, addr)
	resp, err := http.ReadResponse(br, nil)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("health: %v %v", resp, err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()

	body := `<CreateFunctionRequest><Name>late</Name><FunctionConfig><Comment/><Runtime>cloudfront-js-2.0</Runtime></FunctionConfig><FunctionCode>` + b64(code) + `</FunctionCode></CreateFunctionRequest>`
	half := len(body) / 2
	fmt.Fprintf(conn, "POST /2020-05-31/function HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n\r\n%s", addr, len(body), body[:half])
	time.Sleep(100 * time.Millisecond) // the server reads the headers and enters the handler

	shut := make(chan error, 1)
	go func() { shut <- srv.Shutdown(context.Background()) }()
	waitFor(t, func() bool {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
		}
		return err != nil
	})
	select {
	case err := <-shut:
		t.Fatalf("Shutdown returned (%v) with a request in flight", err)
	default:
	}
	io.WriteString(conn, body[half:])
	resp, err = http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 201 {
		t.Fatalf("in-flight request: status %d", resp.StatusCode)
	}
	if err := <-shut; err != nil {
		t.Fatal(err)
	}
	if err := <-served; err != nil {
		t.Fatal(err)
	}
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
}

// A stop signal right after start may call Shutdown before the Serve goroutines run: they
// must then return at once instead of serving on with nobody left to stop them.
func TestShutdownBeforeServe(t *testing.T) {
	srv, err := server.New(server.Config{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if err := srv.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	for name, serve := range map[string]func(net.Listener) error{"api": srv.Serve, "edge": srv.ServeEdge} {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- serve(l) }()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("%s: %v", name, err)
			}
			if c, err := net.Dial("tcp", l.Addr().String()); err == nil {
				c.Close()
				t.Errorf("%s: the listener was left open", name)
			}
		case <-time.After(10 * time.Second):
			l.Close()
			t.Errorf("%s: still serving after Shutdown", name)
		}
	}
}
