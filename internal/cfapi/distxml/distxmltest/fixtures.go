// Package distxmltest holds fixtures that distxml's own tests and the SDK tests in
// sdktest share, so both check the same documents. Only tests import it.
package distxmltest

import "github.com/localfront/localfront/internal/distributions"

// FieldsConfig is a config built in code (no Raw) that uses every modeled field.
func FieldsConfig() distributions.Config {
	behavior := func(pattern, origin string) distributions.Behavior {
		return distributions.Behavior{
			PathPattern: pattern, TargetOriginID: origin, ViewerProtocolPolicy: "allow-all",
			AllowedMethods: []string{"GET", "HEAD", "OPTIONS"}, CachedMethods: []string{"GET", "HEAD"},
			CachePolicyID: "p",
		}
	}
	def := behavior("", "app")
	def.Compress = true
	def.FunctionAssociations = []distributions.FunctionAssociation{{FunctionARN: "arn:aws:cloudfront::111122223333:function/f", EventType: "viewer-request"}}
	api := behavior("/api/*", "group")
	api.CachePolicyID = ""
	api.HasForwardedValues = true
	api.LambdaAssociations = []distributions.LambdaAssociation{{LambdaFunctionARN: "arn:aws:lambda:us-east-1:111122223333:function:l:2", EventType: "origin-response", IncludeBody: false}}
	return distributions.Config{
		CallerReference: "code", Aliases: []string{"a.example.com"}, Comment: "built <in> code", Enabled: true,
		DefaultRootObject: "index.html",
		Origins: []distributions.Origin{
			{ID: "app", DomainName: "127.0.0.1", OriginPath: "/p", ConnectionAttempts: 1, ConnectionTimeout: 2,
				CustomHeaders: []distributions.Header{{Name: "X-A", Value: "1"}},
				Custom:        &distributions.CustomOriginConfig{HTTPPort: 8080, HTTPSPort: 8443, ProtocolPolicy: "match-viewer", ReadTimeout: 3, KeepaliveTimeout: 4, SSLProtocols: []string{"TLSv1.2"}}},
			{ID: "s3", DomainName: "b.s3.amazonaws.com", ConnectionAttempts: 3, ConnectionTimeout: 10, S3: true},
		},
		OriginGroups:         []distributions.OriginGroup{{ID: "group", PrimaryOriginID: "app", SecondaryOriginID: "s3", FailoverStatusCodes: []int{500, 404}}},
		DefaultBehavior:      def,
		Behaviors:            []distributions.Behavior{api},
		CustomErrorResponses: []distributions.CustomErrorResponse{{ErrorCode: 404, ResponsePagePath: "/e.html", ResponseCode: "404"}, {ErrorCode: 500}},
	}
}
