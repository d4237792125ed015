package functions

import (
	"strings"
	"testing"

	"github.com/localfront/localfront/internal/apierror"
)

const kvsARN = "arn:aws:cloudfront::" + acct + ":key-value-store/54947df8-0e9e-4471-a2f9-9af509fb5889"

func TestCreateValidation(t *testing.T) {
	long := strings.Repeat("x", 65)
	js2 := func(arns ...string) Config {
		return Config{Runtime: RuntimeJS2, KeyValueStoreARNs: arns}
	}
	cases := []struct {
		name   string
		in     CreateInput
		code   string
		status int
	}{
		{"ok js1", CreateInput{Name: "ok-1", Config: cfg1(), Code: code1}, "", 0},
		{"ok js2 with kvs, 64-char name, 128-char comment", CreateInput{Name: strings.Repeat("a", 64),
			Config: Config{Comment: strings.Repeat("é", 128), Runtime: RuntimeJS2, KeyValueStoreARNs: []string{kvsARN}},
			Code:   code1}, "", 0},
		{"ok empty comment, name with - and _", CreateInput{Name: "A-b_9", Config: Config{Runtime: RuntimeJS2}, Code: code1}, "", 0},
		{"ok code at the limit", CreateInput{Name: "big", Config: cfg1(), Code: make([]byte, 10240)}, "", 0},
		{"empty name", CreateInput{Name: "", Config: cfg1(), Code: code1}, "MalformedXML", 400},
		{"long name", CreateInput{Name: long, Config: cfg1(), Code: code1}, "MalformedXML", 400},
		{"bad name chars", CreateInput{Name: "bad name!", Config: cfg1(), Code: code1}, "MalformedXML", 400},
		{"non-ASCII name", CreateInput{Name: "fünf", Config: cfg1(), Code: code1}, "MalformedXML", 400},
		{"comment too long", CreateInput{Name: "c", Config: Config{Comment: strings.Repeat("a", 129), Runtime: RuntimeJS1}, Code: code1}, "InvalidArgument", 400},
		{"missing runtime", CreateInput{Name: "r", Config: Config{}, Code: code1}, "InvalidArgument", 400},
		{"unknown runtime", CreateInput{Name: "r", Config: Config{Runtime: "cloudfront-js-3.0"}, Code: code1}, "InvalidArgument", 400},
		{"empty code", CreateInput{Name: "e", Config: cfg1()}, "InvalidArgument", 400},
		{"code over 10 KB", CreateInput{Name: "s", Config: cfg1(), Code: make([]byte, 10241)}, "FunctionSizeLimitExceeded", 413},
		{"two KVS", CreateInput{Name: "k", Config: js2(kvsARN, kvsARN), Code: code1}, "InvalidArgument", 400},
		{"KVS on js1", CreateInput{Name: "k", Config: Config{Runtime: RuntimeJS1, KeyValueStoreARNs: []string{kvsARN}}, Code: code1}, "InvalidArgument", 400},
		{"KVS ARN malformed", CreateInput{Name: "k", Config: js2("arn:aws:cloudfront::" + acct + ":key-value-store/xyz"), Code: code1}, "InvalidArgument", 400},
		{"KVS ARN other account", CreateInput{Name: "k", Config: js2(strings.Replace(kvsARN, acct, "999999999999", 1)), Code: code1}, "InvalidArgument", 400},
		{"KVS ARN of a function", CreateInput{Name: "k", Config: js2(FunctionARN(acct, "x")), Code: code1}, "InvalidArgument", 400},
		{"tag key empty", CreateInput{Name: "t", Config: cfg1(), Code: code1, Tags: []Tag{{Key: "", Value: "v"}}}, "InvalidTagging", 400},
		{"tag key bad char", CreateInput{Name: "t", Config: cfg1(), Code: code1, Tags: []Tag{{Key: "a*b", Value: "v"}}}, "InvalidTagging", 400},
		{"tag key aws: prefix", CreateInput{Name: "t", Config: cfg1(), Code: code1, Tags: []Tag{{Key: "AWS:x", Value: "v"}}}, "InvalidTagging", 400},
		{"tag value too long", CreateInput{Name: "t", Config: cfg1(), Code: code1, Tags: []Tag{{Key: "k", Value: strings.Repeat("v", 257)}}}, "InvalidTagging", 400},
		{"tag key twice", CreateInput{Name: "t", Config: cfg1(), Code: code1, Tags: []Tag{{Key: "k"}, {Key: "k"}}}, "InvalidTagging", 400},
		{"51 tags", CreateInput{Name: "t", Config: cfg1(), Code: code1, Tags: manyTags(51)}, "InvalidTagging", 400},
		{"ok 50 tags of all allowed kinds", CreateInput{Name: "t50", Config: cfg1(), Code: code1,
			Tags: append(manyTags(49), Tag{Key: "Ключ 1_.:/=+-@", Value: ""})}, "", 0},
	}
	e := newEnv(t, Options{})
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := e.svc.Create(ctx, acct, c.in)
			wantCode(t, err, c.code, c.status)
			if c.code != "" {
				// Nothing was stored.
				if _, err := e.svc.Describe(ctx, acct, "k", ""); err == nil && c.in.Name == "k" {
					t.Fatal("rejected function was stored")
				}
			}
		})
	}
}

func manyTags(n int) []Tag {
	var tags []Tag
	for i := range n {
		tags = append(tags, Tag{Key: "key" + string(rune('A'+i/26)) + string(rune('a'+i%26)), Value: "v"})
	}
	return tags
}

func TestNameErrorMessages(t *testing.T) {
	cases := []struct{ name, want string }{
		{"bad!", "1 validation error detected: Value 'bad!' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9-_]{1,64}"},
		{strings.Repeat("X", 65), "2 validation errors detected: Value '" + strings.Repeat("X", 65) + "' at 'name' failed to satisfy constraint: Member must have length less than or equal to 64; Value '" + strings.Repeat("X", 65) + "' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9-_]{1,64}"},
		{"", "2 validation errors detected: Value '' at 'name' failed to satisfy constraint: Member must have length greater than or equal to 1; Value '' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9-_]{1,64}"},
	}
	for _, c := range cases {
		e := apierror.As(validateName(c.name))
		if e == nil || e.Message != c.want {
			t.Errorf("validateName(%q) = %v\nwant %s", c.name, e, c.want)
		}
	}
}

func TestErrorMessagesNamed(t *testing.T) {
	e := newEnv(t, Options{})
	_, err := e.svc.Create(ctx, acct, CreateInput{Name: "c", Config: Config{Comment: strings.Repeat("a", 129), Runtime: RuntimeJS1}, Code: code1})
	if got := apierror.As(err).Message; got != "The parameter Comment is too big." {
		t.Errorf("comment message = %q", got)
	}
	_, err = e.svc.Create(ctx, acct, CreateInput{Name: "r", Config: Config{Runtime: "nodejs"}, Code: code1})
	if got := apierror.As(err).Message; !strings.Contains(got, "Runtime") || !strings.Contains(got, "'nodejs'") {
		t.Errorf("runtime message = %q", got)
	}
}

// Every method validates the name in the URI the same way.
func TestNameValidatedEverywhere(t *testing.T) {
	e := newEnv(t, Options{})
	bad := "no/such"
	check := func(op string, err error) {
		t.Helper()
		t.Run(op, func(t *testing.T) { wantCode(t, err, "MalformedXML", 400) })
	}
	_, err := e.svc.Describe(ctx, acct, bad, "")
	check("Describe", err)
	_, _, err = e.svc.GetCode(ctx, acct, bad, "")
	check("GetCode", err)
	_, err = e.svc.Update(ctx, acct, bad, "ETVPDKIKX0DER", cfg1(), code1)
	check("Update", err)
	check("Delete", e.svc.Delete(ctx, acct, bad, "ETVPDKIKX0DER"))
	_, err = e.svc.Publish(ctx, acct, bad, "ETVPDKIKX0DER")
	check("Publish", err)
	_, err = e.svc.Test(ctx, acct, bad, "ETVPDKIKX0DER", TestInput{})
	check("Test", err)
}

func TestQuotaAndDuplicate(t *testing.T) {
	e := newEnv(t, Options{AccountQuota: 3})
	for _, n := range []string{"a", "b", "c"} {
		e.create(t, n)
	}
	_, err := e.svc.Create(ctx, acct, CreateInput{Name: "a", Config: cfg1(), Code: code1})
	wantCode(t, err, "FunctionAlreadyExists", 409)
	_, err = e.svc.Create(ctx, acct, CreateInput{Name: "d", Config: cfg1(), Code: code1})
	wantCode(t, err, "TooManyFunctions", 400)
	// The quota is per account.
	if _, err := e.svc.Create(ctx, "444455556666", CreateInput{Name: "d", Config: cfg1(), Code: code1}); err != nil {
		t.Fatal(err)
	}
	// Deleting frees a slot.
	d, _ := e.svc.Describe(ctx, acct, "a", "")
	if err := e.svc.Delete(ctx, acct, "a", d.ETag); err != nil {
		t.Fatal(err)
	}
	e.create(t, "d")
}

func TestDefaultOptions(t *testing.T) {
	s := New(nil, nil, Options{})
	if s.opts.AccountQuota != 100 || s.opts.MaxCodeSize != 10240 || s.opts.Clock == nil {
		t.Fatalf("defaults = %+v", s.opts)
	}
}

func TestAccountsAreIsolated(t *testing.T) {
	e := newEnv(t, Options{})
	e.create(t, "mine")
	_, err := e.svc.Describe(ctx, "444455556666", "mine", "")
	wantCode(t, err, "NoSuchFunctionExists", 404)
	out, err := e.svc.List(ctx, "444455556666", ListInput{})
	if err != nil || len(out.Items) != 0 {
		t.Fatalf("other account lists %v, %v", out.Items, err)
	}
}
