package distributions

import (
	"fmt"
	"strings"
	"testing"
)

// TestValidation runs each rule against a config that breaks only that rule.
func TestValidation(t *testing.T) {
	custom := func(c *Config) *CustomOriginConfig { return c.Origins[0].Custom }
	withGroup := func(c *Config, g OriginGroup) {
		c.Origins = append(c.Origins, Origin{ID: "backup", DomainName: "backup.example.com",
			ConnectionAttempts: 3, ConnectionTimeout: 10, S3: true})
		c.OriginGroups = []OriginGroup{g}
	}
	tests := []struct {
		name   string
		mutate func(c *Config)
		code   string
		status int
	}{
		{"comment too long", func(c *Config) { c.Comment = strings.Repeat("é", 129) }, "InvalidArgument", 400},
		{"no caller reference", func(c *Config) { c.CallerReference = "" }, "InvalidArgument", 400},
		{"too many aliases", func(c *Config) {
			for i := range 101 {
				c.Aliases = append(c.Aliases, fmt.Sprintf("a%d.example.com", i))
			}
		}, "TooManyDistributionCNAMEs", 400},
		{"alias with illegal character", func(c *Config) { c.Aliases = []string{"www example.com"} }, "InvalidArgument", 400},
		{"alias listed twice", func(c *Config) { c.Aliases = []string{"a.example.com", "A.example.com"} }, "InvalidArgument", 400},
		{"alias under the edge domain", func(c *Config) { c.Aliases = []string{"x.cloudfront.localhost"} }, "InvalidArgument", 400},
		{"root object with slash", func(c *Config) { c.DefaultRootObject = "/index.html" }, "InvalidDefaultRootObject", 400},
		{"no origins", func(c *Config) { c.Origins = nil }, "InvalidArgument", 400},
		{"too many origins", func(c *Config) {
			for i := range 25 {
				o := c.Origins[0]
				o.ID = fmt.Sprint("o", i)
				c.Origins = append(c.Origins, o)
			}
		}, "TooManyOrigins", 400},
		{"duplicate origin id", func(c *Config) { c.Origins = append(c.Origins, c.Origins[0]) }, "InvalidArgument", 400},
		{"origin domain with scheme", func(c *Config) { c.Origins[0].DomainName = "http://example.com" }, "InvalidArgument", 400},
		{"origin domain with port", func(c *Config) { c.Origins[0].DomainName = "example.com:8080" }, "InvalidArgument", 400},
		{"origin path without slash", func(c *Config) { c.Origins[0].OriginPath = "static" }, "InvalidArgument", 400},
		{"origin path ending in slash", func(c *Config) { c.Origins[0].OriginPath = "/static/" }, "InvalidArgument", 400},
		{"origin of two kinds", func(c *Config) { c.Origins[0].S3 = true }, "InvalidArgument", 400},
		{"origin of no kind", func(c *Config) { c.Origins[0].Custom = nil }, "InvalidArgument", 400},
		{"connection attempts 0", func(c *Config) { c.Origins[0].ConnectionAttempts = 0 }, "InvalidArgument", 400},
		{"connection attempts 4", func(c *Config) { c.Origins[0].ConnectionAttempts = 4 }, "InvalidArgument", 400},
		{"connection timeout 11", func(c *Config) { c.Origins[0].ConnectionTimeout = 11 }, "InvalidArgument", 400},
		{"port 81", func(c *Config) { custom(c).HTTPPort = 81 }, "InvalidArgument", 400},
		{"port 70000", func(c *Config) { custom(c).HTTPSPort = 70000 }, "InvalidArgument", 400},
		{"protocol policy", func(c *Config) { custom(c).ProtocolPolicy = "tcp" }, "InvalidArgument", 400},
		{"read timeout 0", func(c *Config) { custom(c).ReadTimeout = 0 }, "InvalidOriginReadTimeout", 400},
		{"read timeout 121", func(c *Config) { custom(c).ReadTimeout = 121 }, "InvalidOriginReadTimeout", 400},
		{"keepalive timeout 121", func(c *Config) { custom(c).KeepaliveTimeout = 121 }, "InvalidOriginKeepaliveTimeout", 400},
		{"too many custom headers", func(c *Config) {
			for i := range 11 {
				c.Origins[0].CustomHeaders = append(c.Origins[0].CustomHeaders, Header{fmt.Sprint("X-H", i), "v"})
			}
		}, "TooManyOriginCustomHeaders", 400},
		{"forbidden custom header", func(c *Config) { c.Origins[0].CustomHeaders = []Header{{"Host", "x"}} }, "InvalidArgument", 400},
		{"x-amz custom header", func(c *Config) { c.Origins[0].CustomHeaders = []Header{{"X-Amz-Date", "x"}} }, "InvalidArgument", 400},
		{"custom header twice", func(c *Config) { c.Origins[0].CustomHeaders = []Header{{"X-A", "1"}, {"x-a", "2"}} }, "InvalidArgument", 400},
		{"custom header value too long", func(c *Config) {
			c.Origins[0].CustomHeaders = []Header{{"X-A", strings.Repeat("v", 1784)}}
		}, "InvalidArgument", 400},
		{"custom header name not a token", func(c *Config) { c.Origins[0].CustomHeaders = []Header{{"X A", "1"}} }, "InvalidArgument", 400},
		{"group member unknown", func(c *Config) {
			withGroup(c, OriginGroup{ID: "g", PrimaryOriginID: "app", SecondaryOriginID: "nope", FailoverStatusCodes: []int{500}})
		}, "NoSuchOrigin", 404},
		{"group members equal", func(c *Config) {
			withGroup(c, OriginGroup{ID: "g", PrimaryOriginID: "app", SecondaryOriginID: "app", FailoverStatusCodes: []int{500}})
		}, "InvalidArgument", 400},
		{"group status code", func(c *Config) {
			withGroup(c, OriginGroup{ID: "g", PrimaryOriginID: "app", SecondaryOriginID: "backup", FailoverStatusCodes: []int{501}})
		}, "InvalidArgument", 400},
		{"group id clashes with an origin", func(c *Config) {
			withGroup(c, OriginGroup{ID: "app", PrimaryOriginID: "app", SecondaryOriginID: "backup", FailoverStatusCodes: []int{500}})
		}, "InvalidArgument", 400},
		{"target origin unknown", func(c *Config) { c.DefaultBehavior.TargetOriginID = "nope" }, "NoSuchOrigin", 404},
		{"behavior target origin unknown", func(c *Config) { c.Behaviors = []Behavior{testBehavior("/x/*", "nope")} }, "NoSuchOrigin", 404},
		{"viewer protocol policy", func(c *Config) { c.DefaultBehavior.ViewerProtocolPolicy = "http-only" }, "InvalidArgument", 400},
		{"allowed methods combination", func(c *Config) { c.DefaultBehavior.AllowedMethods = []string{"GET", "POST"} }, "InvalidArgument", 400},
		{"cached methods not allowed", func(c *Config) { c.DefaultBehavior.CachedMethods = []string{"GET", "HEAD", "OPTIONS"} }, "InvalidArgument", 400},
		{"no cache settings", func(c *Config) { c.DefaultBehavior.CachePolicyID = "" }, "InvalidArgument", 400},
		{"policy and forwarded values", func(c *Config) { c.DefaultBehavior.HasForwardedValues = true }, "InvalidArgument", 400},
		{"default behavior with a pattern", func(c *Config) { c.DefaultBehavior.PathPattern = "*" }, "InvalidArgument", 400},
		{"empty path pattern", func(c *Config) { c.Behaviors = []Behavior{testBehavior("", "app")} }, "InvalidArgument", 400},
		{"path pattern character", func(c *Config) { c.Behaviors = []Behavior{testBehavior("/a b/*", "app")} }, "InvalidArgument", 400},
		{"path pattern too long", func(c *Config) { c.Behaviors = []Behavior{testBehavior(strings.Repeat("a", 256), "app")} }, "InvalidArgument", 400},
		{"duplicate path pattern", func(c *Config) {
			c.Behaviors = []Behavior{testBehavior("/api/*", "app"), testBehavior("api/*", "app")}
		}, "InvalidArgument", 400},
		{"too many cache behaviors", func(c *Config) {
			for i := range 26 {
				c.Behaviors = append(c.Behaviors, testBehavior(fmt.Sprintf("/p%d/*", i), "app"))
			}
		}, "TooManyCacheBehaviors", 400},
		{"lambda without version", func(c *Config) {
			c.DefaultBehavior.LambdaAssociations = []LambdaAssociation{{LambdaFunctionARN: "arn:aws:lambda:us-east-1:111122223333:function:f", EventType: "origin-request"}}
		}, "InvalidLambdaFunctionAssociation", 400},
		{"lambda event twice", func(c *Config) {
			l := LambdaAssociation{LambdaFunctionARN: "arn:aws:lambda:us-east-1:111122223333:function:f:1", EventType: "origin-request"}
			c.DefaultBehavior.LambdaAssociations = []LambdaAssociation{l, l}
		}, "InvalidLambdaFunctionAssociation", 400},
		{"custom error code", func(c *Config) { c.CustomErrorResponses = []CustomErrorResponse{{ErrorCode: 418}} }, "InvalidErrorCode", 400},
		{"custom response code", func(c *Config) {
			c.CustomErrorResponses = []CustomErrorResponse{{ErrorCode: 404, ResponseCode: "302", ResponsePagePath: "/404.html"}}
		}, "InvalidResponseCode", 400},
		{"custom page path", func(c *Config) {
			c.CustomErrorResponses = []CustomErrorResponse{{ErrorCode: 404, ResponseCode: "404", ResponsePagePath: "404.html"}}
		}, "InvalidRelativePath", 400},
		{"custom error code twice", func(c *Config) {
			c.CustomErrorResponses = []CustomErrorResponse{{ErrorCode: 404}, {ErrorCode: 404}}
		}, "InvalidArgument", 400},
	}
	f := newFixture(t, Options{})
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := testConfig(fmt.Sprint("ref", i))
			tt.mutate(&c)
			_, err := f.svc.Create(ctx, acct, c)
			wantAPIError(t, err, tt.code, tt.status)
		})
	}
	if all := must[[]Distribution](t)(f.svc.All(ctx)); len(all) != 0 {
		t.Errorf("invalid configs created %d distributions", len(all))
	}
}

// TestValidConfigs are accepted: the rules must not be stricter than CloudFront.
func TestValidConfigs(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(c *Config)
	}{
		{"local origin by name", func(c *Config) { c.Origins[0].DomainName = "localhost" }},
		{"origin path", func(c *Config) { c.Origins[0].OriginPath = "/prod/v1" }},
		{"all methods", func(c *Config) {
			c.DefaultBehavior.AllowedMethods = []string{"PUT", "GET", "HEAD", "POST", "PATCH", "DELETE", "OPTIONS"}
			c.DefaultBehavior.CachedMethods = []string{"HEAD", "GET", "OPTIONS"}
		}},
		{"forwarded values", func(c *Config) { c.DefaultBehavior.CachePolicyID = ""; c.DefaultBehavior.HasForwardedValues = true }},
		{"wildcard alias", func(c *Config) { c.Aliases = []string{"*.example.com", "example.com"} }},
		{"origin group target", func(c *Config) {
			c.Origins = append(c.Origins, Origin{ID: "backup", DomainName: "backup.example.com", ConnectionAttempts: 1, ConnectionTimeout: 1, S3: true})
			c.OriginGroups = []OriginGroup{{ID: "g", PrimaryOriginID: "app", SecondaryOriginID: "backup", FailoverStatusCodes: []int{500, 502, 503, 504, 403, 404}}}
			c.Behaviors = []Behavior{testBehavior("/g/*", "g")}
		}},
		{"custom headers", func(c *Config) { c.Origins[0].CustomHeaders = []Header{{"X-Origin-Verify", "secret"}, {"X-Env", ""}} }},
		{"custom errors", func(c *Config) {
			c.CustomErrorResponses = []CustomErrorResponse{{ErrorCode: 404, ResponseCode: "200", ResponsePagePath: "/index.html"}, {ErrorCode: 503}}
		}},
		{"root object in folder", func(c *Config) { c.DefaultRootObject = "site/index.html" }},
		{"path pattern characters", func(c *Config) { c.Behaviors = []Behavior{testBehavior(`/a-b_c.d/*$~"'@:+&?`, "app")} }},
	}
	f := newFixture(t, Options{})
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := testConfig(fmt.Sprint("ok", i))
			tt.mutate(&c)
			if _, err := f.svc.Create(ctx, acct, c); err != nil {
				t.Fatal(err)
			}
		})
	}
}
