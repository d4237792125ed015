// Command setup prepares a running `localfront serve` for the edge benchmark: it creates and
// publishes the benchmark's functions (the same append-index.html rewrite and security
// headers as nginx/cf.js) and one distribution per case in front of the benchmark origin,
// then prints one "case domain" line per distribution for run.sh.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront/types"

	"github.com/localfront/localfront/internal/benchfuncs"
)

const rewrite = benchfuncs.AppendIndex

const securityHeaders = benchfuncs.SecurityHeaders

func main() {
	api := flag.String("api", "http://127.0.0.1:8080", "LocalFront API endpoint")
	origin := flag.String("origin", "127.0.0.1:8081", "benchmark origin host:port")
	flag.Parse()
	host, portStr, err := net.SplitHostPort(*origin)
	if err != nil {
		log.Fatal(err)
	}
	port, err := strconv.Atoi(portStr)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	cf := cloudfront.NewFromConfig(aws.Config{
		Region: "us-east-1", BaseEndpoint: aws.String(*api), RetryMaxAttempts: 1,
		Credentials: credentials.NewStaticCredentialsProvider("AKIDBENCH", "bench", ""),
	})
	publish := func(name, code string) string {
		out, err := cf.CreateFunction(ctx, &cloudfront.CreateFunctionInput{
			Name:           aws.String(name),
			FunctionConfig: &types.FunctionConfig{Comment: aws.String("edge benchmark"), Runtime: types.FunctionRuntimeCloudfrontJs20},
			FunctionCode:   []byte(code),
		})
		if err != nil {
			log.Fatalf("create %s: %v", name, err)
		}
		pub, err := cf.PublishFunction(ctx, &cloudfront.PublishFunctionInput{Name: aws.String(name), IfMatch: out.ETag})
		if err != nil {
			log.Fatalf("publish %s: %v", name, err)
		}
		return aws.ToString(pub.FunctionSummary.FunctionMetadata.FunctionARN)
	}
	cases := []struct {
		name string
		fa   []types.FunctionAssociation
	}{
		{"nofn", nil},
		{"rewrite", []types.FunctionAssociation{{FunctionARN: aws.String(publish("bench-rewrite", rewrite)), EventType: types.EventTypeViewerRequest}}},
		{"headers", []types.FunctionAssociation{{FunctionARN: aws.String(publish("bench-headers", securityHeaders)), EventType: types.EventTypeViewerResponse}}},
	}
	for _, c := range cases {
		out, err := cf.CreateDistribution(ctx, &cloudfront.CreateDistributionInput{DistributionConfig: &types.DistributionConfig{
			CallerReference: aws.String("bench-" + c.name), Comment: aws.String("edge benchmark"), Enabled: aws.Bool(true),
			Origins: &types.Origins{Quantity: aws.Int32(1), Items: []types.Origin{{
				Id: aws.String("origin"), DomainName: aws.String(host),
				CustomOriginConfig: &types.CustomOriginConfig{HTTPPort: aws.Int32(int32(port)), HTTPSPort: aws.Int32(443), OriginProtocolPolicy: types.OriginProtocolPolicyHttpOnly},
			}}},
			DefaultCacheBehavior: &types.DefaultCacheBehavior{
				TargetOriginId: aws.String("origin"), ViewerProtocolPolicy: types.ViewerProtocolPolicyAllowAll,
				CachePolicyId:        aws.String("4135ea2d-6df8-44a3-9df3-4b5a84be39ad"), // CachingDisabled
				FunctionAssociations: &types.FunctionAssociations{Quantity: aws.Int32(int32(len(c.fa))), Items: c.fa},
			},
		}})
		if err != nil {
			log.Fatalf("distribution %s: %v", c.name, err)
		}
		fmt.Println(c.name, aws.ToString(out.Distribution.DomainName))
	}
}
