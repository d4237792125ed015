package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/localfront/localfront/internal/server"
)

const logsUsage = `usage: localfront logs [flags] FUNCTION

Prints the console.log lines the edge kept for a function's LIVE runs, each prefixed with
its request ID and bracketed by START and END lines, as CloudWatch Logs shows them.

`

// runLogs implements `localfront logs FUNCTION [--follow]`. The server keeps a bounded
// number of recent lines per function; --follow then prints new ones until interrupted.
// When AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set the request is SigV4-signed, as a
// server started with --credentials requires.
func runLogs(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("localfront logs", flag.ContinueOnError)
	fs.SetOutput(stderr)
	endpoint := fs.String("endpoint", defaultEndpoint(getenv), "`URL` of the LocalFront API (also LOCALFRONT_ENDPOINT or AWS_ENDPOINT_URL_CLOUDFRONT)")
	follow := fs.Bool("follow", false, "keep printing new lines until interrupted")
	fs.BoolVar(follow, "f", false, "short for --follow")
	asJSON := fs.Bool("json", false, "print one JSON object per line (with the sequence number and distribution ID)")
	fs.Usage = func() {
		io.WriteString(stderr, logsUsage)
		fs.PrintDefaults()
	}
	// Accept the function name before or after the flags.
	var name string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if name == "" && fs.NArg() > 0 {
		name = fs.Arg(0)
	} else if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "localfront logs: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if name == "" || fs.NArg() > 1 {
		fs.Usage()
		return 2
	}

	q := url.Values{}
	if *follow {
		q.Set("follow", "true")
	}
	if *asJSON {
		q.Set("format", "json")
	}
	target := strings.TrimSuffix(*endpoint, "/") + server.LogsPathPrefix + url.PathEscape(name)
	if len(q) > 0 {
		target += "?" + q.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		fmt.Fprintf(stderr, "localfront logs: --endpoint %q: %v\n", *endpoint, err)
		return 2
	}
	if err := signIfConfigured(ctx, req, getenv); err != nil {
		fmt.Fprintf(stderr, "localfront logs: signing: %v\n", err)
		return 1
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return 0
		}
		fmt.Fprintf(stderr, "localfront logs: %v\n", err)
		return 1
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		fmt.Fprintf(stderr, "localfront logs: %s: %s\n", resp.Status, strings.TrimSpace(string(body)))
		return 1
	}
	if _, err := io.Copy(stdout, resp.Body); err != nil && ctx.Err() == nil {
		fmt.Fprintf(stderr, "localfront logs: %v\n", err)
		return 1
	}
	return 0
}

// defaultEndpoint is where `localfront serve` listens unless told otherwise.
func defaultEndpoint(getenv func(string) string) string {
	for _, k := range []string{"LOCALFRONT_ENDPOINT", "AWS_ENDPOINT_URL_CLOUDFRONT", "AWS_ENDPOINT_URL"} {
		if v := getenv(k); v != "" {
			return v
		}
	}
	return "http://127.0.0.1:8080"
}

// signIfConfigured signs req with SigV4 for the cloudfront service when AWS credentials are
// in the environment.
func signIfConfigured(ctx context.Context, req *http.Request, getenv func(string) string) error {
	key, secret := getenv("AWS_ACCESS_KEY_ID"), getenv("AWS_SECRET_ACCESS_KEY")
	if key == "" || secret == "" {
		return nil
	}
	empty := sha256.Sum256(nil)
	creds := aws.Credentials{AccessKeyID: key, SecretAccessKey: secret, SessionToken: getenv("AWS_SESSION_TOKEN")}
	return v4.NewSigner().SignHTTP(ctx, creds, req, hex.EncodeToString(empty[:]), "cloudfront", "us-east-1", time.Now())
}
