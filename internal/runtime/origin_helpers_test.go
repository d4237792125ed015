package runtime

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/dop251/goja"
)

// runOriginJS runs js with `cf` bound to a module object carrying the origin helpers and
// returns what the calls recorded.
func runOriginJS(t *testing.T, js string) *OriginChanges {
	t.Helper()
	vm := goja.New()
	cf := vm.NewObject()
	ch := &OriginChanges{}
	if err := InstallOriginHelpers(vm, cf, func() *OriginChanges { return ch }); err != nil {
		t.Fatal(err)
	}
	if err := vm.Set("cf", cf); err != nil {
		t.Fatal(err)
	}
	if _, err := vm.RunString(js); err != nil {
		t.Fatalf("%s: the helpers must not throw: %v", js, err)
	}
	return ch
}

func TestOriginHelpersRecordValidCalls(t *testing.T) {
	ch := runOriginJS(t, `
		cf.updateRequestOrigin({
			domainName: 'api.example.com', hostHeader: 'www.example.com', originPath: '/v2',
			customHeaders: {'x-origin-key': 'k1'}, connectionAttempts: 2,
			timeouts: {readTimeout: 20, responseCompletionTimeout: 40, keepAliveTimeout: 10, connectionTimeout: 3},
			customOriginConfig: {port: 8443, protocol: 'https', sslProtocols: ['TLSv1.2']},
			originShield: {enabled: true, region: 'us-east-1'},
			originAccessControlConfig: {enabled: false, signingBehavior: 'always', signingProtocol: 'sigv4', originType: 's3'},
			ipAddressType: 'dualstack', sni: 'api.example.com', allowedCertificateNames: ['*.example.com'],
		});
		cf.selectRequestOriginById('backup', {hostHeader: 'b.example.com'});
		cf.createRequestOriginGroup({
			originIds: ['a', {originId: 'b', originOverrides: {hostHeader: 'h.example.com'}}],
			failoverCriteria: {statusCodes: [500, 503]},
		});
		cf.updateRequestOrigin({customHeaders: {}});
	`)
	if ch.Err != nil {
		t.Fatal(ch.Err)
	}
	want := []OriginStep{
		{Kind: StepUpdateOrigin, Update: OriginUpdate{
			DomainName: "api.example.com", HostHeader: "www.example.com", OriginPath: "/v2",
			CustomHeaders: []OriginHeader{{"x-origin-key", "k1"}}, SetCustomHeaders: true,
			ConnectionAttempts: 2, Timeouts: OriginTimeouts{Read: 20, ResponseCompletion: 40, KeepAlive: 10, Connection: 3},
			Custom:              &CustomOriginParams{Port: 8443, Protocol: "https", SSLProtocols: []string{"TLSv1.2"}},
			OriginShield:        &OriginShieldParams{Enabled: true, Region: "us-east-1"},
			OriginAccessControl: &OriginAccessControlParams{SigningBehavior: "always", SigningProtocol: "sigv4", OriginType: "s3"},
			IPAddressType:       "dualstack", SNI: "api.example.com", AllowedCertificateNames: []string{"*.example.com"},
		}},
		{Kind: StepSelectOrigin, OriginID: "backup", Overrides: OriginOverrides{HostHeader: "b.example.com"}},
		{Kind: StepCreateOriginGroup, Group: OriginGroupSpec{
			Members:             [2]OriginGroupMember{{OriginID: "a"}, {OriginID: "b", Overrides: OriginOverrides{HostHeader: "h.example.com"}}},
			FailoverStatusCodes: []int{500, 503},
		}},
		{Kind: StepUpdateOrigin, Update: OriginUpdate{CustomHeaders: []OriginHeader{}, SetCustomHeaders: true}},
	}
	if !reflect.DeepEqual(ch.Steps, want) {
		t.Fatalf("steps:\n got %+v\nwant %+v", ch.Steps, want)
	}
}

func TestOriginHelpersRefuseInvalidCalls(t *testing.T) {
	cases := map[string]string{
		`cf.updateRequestOrigin()`:                                                                                                   "is required",
		`cf.updateRequestOrigin('x')`:                                                                                                "must be an object",
		`cf.updateRequestOrigin({domainName: 'a.example.com:8080'})`:                                                                 "domainName",
		`cf.updateRequestOrigin({domainName: '::1'})`:                                                                                "domainName",
		`cf.updateRequestOrigin({domainName: 'x'.repeat(254)})`:                                                                      "domainName",
		`cf.updateRequestOrigin({domainName: 42})`:                                                                                   "must be a string",
		`cf.updateRequestOrigin({originPath: 'v2'})`:                                                                                 "originPath",
		`cf.updateRequestOrigin({originPath: '/v2/'})`:                                                                               "originPath",
		`cf.updateRequestOrigin({customHeaders: {'X-Upper': 'v'}})`:                                                                  "lower case",
		`cf.updateRequestOrigin({customHeaders: {'x-amz-cf-id': 'v'}})`:                                                              "cannot set",
		`cf.updateRequestOrigin({customHeaders: {'host': 'v'}})`:                                                                     "cannot set",
		`cf.updateRequestOrigin({customHeaders: {'x-a': 1}})`:                                                                        "must be a string",
		`cf.updateRequestOrigin({customHeaders: {'x-a': 'a\r\nb: c'}})`:                                                              "line break",
		`cf.updateRequestOrigin({connectionAttempts: 4})`:                                                                            "connectionAttempts",
		`cf.updateRequestOrigin({connectionAttempts: 0})`:                                                                            "connectionAttempts",
		`cf.updateRequestOrigin({connectionAttempts: 1.5})`:                                                                          "whole number",
		`cf.updateRequestOrigin({timeouts: {readTimeout: 121}})`:                                                                     "readTimeout",
		`cf.updateRequestOrigin({timeouts: {connectionTimeout: 11}})`:                                                                "connectionTimeout",
		`cf.updateRequestOrigin({timeouts: {keepAliveTimeout: 0}})`:                                                                  "keepAliveTimeout",
		`cf.updateRequestOrigin({timeouts: {readTimeout: 30, responseCompletionTimeout: 10}})`:                                       "responseCompletionTimeout",
		`cf.updateRequestOrigin({customOriginConfig: {protocol: 'ftp'}})`:                                                            "protocol",
		`cf.updateRequestOrigin({customOriginConfig: {port: 70000}})`:                                                                "port",
		`cf.updateRequestOrigin({customOriginConfig: {sslProtocols: ['TLSv1.3']}})`:                                                  "sslProtocols",
		`cf.updateRequestOrigin({originShield: {enabled: true}})`:                                                                    "region",
		`cf.updateRequestOrigin({originAccessControlConfig: {enabled: true, signingBehavior: 'sometimes'}})`:                         "signingBehavior",
		`cf.updateRequestOrigin({originAccessControlConfig: {enabled: true}, hostHeader: 'h.example.com'})`:                          "hostHeader",
		`cf.updateRequestOrigin({ipAddressType: 'ipv6'})`:                                                                            "together with domainName",
		`cf.updateRequestOrigin({allowedCertificateNames: new Array(21).fill('a.example.com')})`:                                     "at most 20",
		`cf.selectRequestOriginById()`:                                                                                               "origin ID",
		`cf.selectRequestOriginById('')`:                                                                                             "origin ID",
		`cf.selectRequestOriginById('o', {hostHeader: 'a:1'})`:                                                                       "hostHeader",
		`cf.createRequestOriginGroup({originIds: ['a'], failoverCriteria: {statusCodes: [500]}})`:                                    "exactly two",
		`cf.createRequestOriginGroup({originIds: ['a', 'a'], failoverCriteria: {statusCodes: [500]}})`:                               "two different",
		`cf.createRequestOriginGroup({originIds: ['a', 'b']})`:                                                                       "failoverCriteria is required",
		`cf.createRequestOriginGroup({originIds: ['a', 'b'], failoverCriteria: {statusCodes: []}})`:                                  "at least one",
		`cf.createRequestOriginGroup({originIds: ['a', 'b'], failoverCriteria: {statusCodes: [418]}})`:                               "418",
		`cf.createRequestOriginGroup({originIds: ['a', 'b'], failoverCriteria: {statusCodes: [500]}, selectionCriteria: 'fastest'})`: "selectionCriteria",
		`cf.createRequestOriginGroup({originIds: ['a', {}], failoverCriteria: {statusCodes: [500]}})`:                                "originIds[1]",
	}
	for js, want := range cases {
		ch := runOriginJS(t, js)
		var pe *OriginParamError
		if !errors.As(ch.Err, &pe) {
			t.Errorf("%s: got error %v, want an OriginParamError", js, ch.Err)
			continue
		}
		if !strings.Contains(ch.Err.Error(), want) || !strings.HasPrefix(ch.Err.Error(), "FunctionValidationError: ") {
			t.Errorf("%s: error %q does not mention %q", js, ch.Err, want)
		}
		if len(ch.Steps) != 0 {
			t.Errorf("%s: an invalid call was recorded: %+v", js, ch.Steps)
		}
	}
}

func TestOriginHelpersKeepFirstErrorAndLaterSteps(t *testing.T) {
	ch := runOriginJS(t, `cf.selectRequestOriginById(''); cf.updateRequestOrigin({originPath: 'bad'}); cf.selectRequestOriginById('ok')`)
	if ch.Err == nil || !strings.Contains(ch.Err.Error(), "selectRequestOriginById") {
		t.Fatalf("first error not kept: %v", ch.Err)
	}
	if len(ch.Steps) != 1 || ch.Steps[0].OriginID != "ok" {
		t.Fatalf("steps %+v", ch.Steps)
	}
}

func TestOriginHelpersWithoutRecorderDropCalls(t *testing.T) {
	vm := goja.New()
	cf := vm.NewObject()
	if err := InstallOriginHelpers(vm, cf, func() *OriginChanges { return nil }); err != nil {
		t.Fatal(err)
	}
	vm.Set("cf", cf)
	v, err := vm.RunString(`cf.selectRequestOriginById(''); cf.updateRequestOrigin({domainName: 'a.example.com'}); typeof cf.createRequestOriginGroup`)
	if err != nil || v.String() != "function" {
		t.Fatalf("got %v, %v", v, err)
	}
}

func TestIsDisallowedHeader(t *testing.T) {
	for _, n := range []string{"connection", "x-amz-cf-id", "x-amz-cf-pop", "x-edge-location", "x-forwarded-proto", "x-cache", "x-real-ip", "upgrade"} {
		if !IsDisallowedHeader(n) {
			t.Errorf("%s should be disallowed", n)
		}
	}
	for _, n := range []string{"host", "via", "x-amz-date", "x-forwarded-for", "content-type", "cookie"} {
		if IsDisallowedHeader(n) {
			t.Errorf("%s should be allowed", n)
		}
	}
}
