package localfronttest_test

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront/types"
	"github.com/aws/smithy-go"

	"github.com/localfront/localfront/localfronttest"
)

func createFunction(t *testing.T, cf *cloudfront.Client, name string) *cloudfront.CreateFunctionOutput {
	t.Helper()
	out, err := cf.CreateFunction(context.Background(), &cloudfront.CreateFunctionInput{
		Name:           aws.String(name),
		FunctionConfig: &types.FunctionConfig{Comment: aws.String("from a test"), Runtime: types.FunctionRuntimeCloudfrontJs20},
		FunctionCode:   []byte("function handler(event) { return event.request; }"),
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestStartInMemory(t *testing.T) {
	lf := localfronttest.Start(t)
	cf := cloudfront.NewFromConfig(lf.AWSConfig())
	out := createFunction(t, cf, "hello")
	if got := aws.ToString(out.FunctionSummary.FunctionMetadata.FunctionARN); got != "arn:aws:cloudfront::"+localfronttest.DefaultAccountID+":function/hello" {
		t.Errorf("ARN %s", got)
	}
	desc, err := cf.DescribeFunction(context.Background(), &cloudfront.DescribeFunctionInput{Name: aws.String("hello")})
	if err != nil || aws.ToString(desc.ETag) != aws.ToString(out.ETag) {
		t.Fatalf("describe: %v %v", desc, err)
	}
	// Each Start is a fresh server.
	other := cloudfront.NewFromConfig(localfronttest.Start(t).AWSConfig())
	list, err := other.ListFunctions(context.Background(), &cloudfront.ListFunctionsInput{})
	if err != nil || len(list.FunctionList.Items) != 0 {
		t.Fatalf("second server lists %v, %v", list, err)
	}
}

func TestStartWithCredentials(t *testing.T) {
	lf := localfronttest.Start(t, localfronttest.Options{
		Credentials: []localfronttest.Credential{{AccessKeyID: "AKIDTEST", SecretAccessKey: "s3cret", AccountID: "444455556666"}},
	})
	out := createFunction(t, cloudfront.NewFromConfig(lf.AWSConfig()), "signed")
	if got := aws.ToString(out.FunctionSummary.FunctionMetadata.FunctionARN); got != "arn:aws:cloudfront::444455556666:function/signed" {
		t.Errorf("ARN %s", got)
	}
	_, err := cloudfront.NewFromConfig(lf.AWSConfigFor("AKIDTEST", "wrong")).ListFunctions(context.Background(), &cloudfront.ListFunctionsInput{})
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "SignatureDoesNotMatch" {
		t.Fatalf("wrong secret: %v", err)
	}
}

func TestStartDurableAndQuota(t *testing.T) {
	dir := t.TempDir()
	first := localfronttest.Start(t, localfronttest.Options{DataDir: dir, FunctionQuota: 1})
	createFunction(t, cloudfront.NewFromConfig(first.AWSConfig()), "kept")
	_, err := cloudfront.NewFromConfig(first.AWSConfig()).CreateFunction(context.Background(), &cloudfront.CreateFunctionInput{
		Name:           aws.String("second"),
		FunctionConfig: &types.FunctionConfig{Comment: aws.String(""), Runtime: types.FunctionRuntimeCloudfrontJs20},
		FunctionCode:   []byte("function handler(e) { return e.request; }"),
	})
	var tooMany *types.TooManyFunctions
	if !errors.As(err, &tooMany) {
		t.Fatalf("quota 1: %v", err)
	}
	first.Close()

	again := localfronttest.Start(t, localfronttest.Options{DataDir: dir})
	if _, err := cloudfront.NewFromConfig(again.AWSConfig()).DescribeFunction(context.Background(), &cloudfront.DescribeFunctionInput{Name: aws.String("kept")}); err != nil {
		t.Fatal(err)
	}
}
