package sdkhttp_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront/types"
	"github.com/aws/smithy-go/middleware"

	"github.com/localfront/localfront/internal/sdkhttp"
)

// The real SDK under the forced interleaving: smithy-go closes the request body when its
// HTTP client returns, the length-check read comes after that, and the response body is
// still in flight while the SDK decodes it.
func TestSDKCallSurvivesInterleaving(t *testing.T) {
	comment := strings.Repeat("c", 32<<10) // a response larger than the client's read buffer
	response := []byte(`<?xml version="1.0" encoding="UTF-8"?>` +
		`<FunctionSummary xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Name>big</Name><Status>UNPUBLISHED</Status>` +
		`<FunctionConfig><Comment>` + comment + `</Comment><Runtime>cloudfront-js-2.0</Runtime></FunctionConfig>` +
		`<FunctionMetadata><FunctionARN>arn:aws:cloudfront::123456789012:function/big</FunctionARN><Stage>DEVELOPMENT</Stage>` +
		`<LastModifiedTime>2024-01-02T03:04:05Z</LastModifiedTime></FunctionMetadata></FunctionSummary>`)
	r := newRace(t, response)

	// Innermost in the deserialize step, this runs right after smithy-go's ClientHandler,
	// which closes the request body before it returns.
	afterHTTPClient := middleware.DeserializeMiddlewareFunc("afterHTTPClient", func(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (middleware.DeserializeOutput, middleware.Metadata, error) {
		out, md, err := next.HandleDeserialize(ctx, in)
		close(r.callerClosed)
		go func() { // the SDK decodes the response body after this returns
			select {
			case <-r.checkDone:
			case <-time.After(safety):
			}
			close(r.release)
		}()
		return out, md, err
	})
	client := cloudfront.New(cloudfront.Options{
		Region:           "us-east-1",
		BaseEndpoint:     aws.String(r.server.URL),
		Credentials:      credentials.NewStaticCredentialsProvider("AKID", "SECRET", ""),
		RetryMaxAttempts: 1,
		HTTPClient:       sdkhttp.Client(&http.Client{Transport: r.gate()}),
		APIOptions: []func(*middleware.Stack) error{func(s *middleware.Stack) error {
			return s.Deserialize.Add(afterHTTPClient, middleware.After)
		}},
	})
	out, err := client.CreateFunction(context.Background(), &cloudfront.CreateFunctionInput{
		Name:           aws.String("big"),
		FunctionConfig: &types.FunctionConfig{Comment: aws.String("c"), Runtime: types.FunctionRuntimeCloudfrontJs20},
		FunctionCode:   bigBody,
	})
	if err != nil {
		t.Fatal(err)
	}
	wait(t, r.checkDone, "the length-check read")
	if got := aws.ToString(out.FunctionSummary.FunctionConfig.Comment); got != comment {
		t.Errorf("decoded a %d-byte comment, want %d bytes", len(got), len(comment))
	}
	if aws.ToString(out.FunctionSummary.Name) != "big" {
		t.Errorf("Name %q", aws.ToString(out.FunctionSummary.Name))
	}
}
