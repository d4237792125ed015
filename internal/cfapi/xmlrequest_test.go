package cfapi

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"net/http"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/localfront/localfront/internal/apierror"
	"github.com/localfront/localfront/internal/functions"
)

const ns = `xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"`

// The shapes real clients send (wire.md): botocore's model order and <Comment />, Go's
// alphabetical order, JS's XML declaration, KVS associations and tags.
var createBodies = map[string]string{
	"botocore": `<CreateFunctionRequest ` + ns + `><Name>cap-fn</Name><FunctionConfig><Comment /><Runtime>cloudfront-js-2.0</Runtime><KeyValueStoreAssociations><Quantity>1</Quantity><Items><KeyValueStoreAssociation><KeyValueStoreARN>arn:aws:cloudfront::123456789012:key-value-store/0123</KeyValueStoreARN></KeyValueStoreAssociation></Items></KeyValueStoreAssociations></FunctionConfig><FunctionCode>Y29kZQ==</FunctionCode><Tags><Items><Tag><Key>k</Key><Value>v</Value></Tag></Items></Tags></CreateFunctionRequest>`,
	"gosdk":    `<CreateFunctionRequest ` + ns + `><FunctionCode>Y29kZQ==</FunctionCode><FunctionConfig><Comment></Comment><KeyValueStoreAssociations><Items><KeyValueStoreAssociation><KeyValueStoreARN>arn:aws:cloudfront::123456789012:key-value-store/0123</KeyValueStoreARN></KeyValueStoreAssociation></Items><Quantity>1</Quantity></KeyValueStoreAssociations><Runtime>cloudfront-js-2.0</Runtime></FunctionConfig><Name>cap-fn</Name><Tags><Items><Tag><Key>k</Key><Value>v</Value></Tag></Items></Tags></CreateFunctionRequest>`,
	"jssdk":    `<?xml version="1.0" encoding="UTF-8"?><CreateFunctionRequest ` + ns + `><Name>cap-fn</Name><FunctionConfig><Comment></Comment><Runtime>cloudfront-js-2.0</Runtime><KeyValueStoreAssociations><Quantity>1</Quantity><Items><KeyValueStoreAssociation><KeyValueStoreARN>arn:aws:cloudfront::123456789012:key-value-store/0123</KeyValueStoreARN></KeyValueStoreAssociation></Items></KeyValueStoreAssociations></FunctionConfig><FunctionCode>Y29kZQ==</FunctionCode><Tags><Items><Tag><Key>k</Key><Value>v</Value></Tag></Items></Tags></CreateFunctionRequest>` + "\n",
	"no namespace, wrapped base64, comments": `<CreateFunctionRequest><Name>cap-fn</Name><FunctionConfig><Comment/><Runtime>cloudfront-js-2.0</Runtime><KeyValueStoreAssociations><Quantity>1</Quantity><Items><KeyValueStoreAssociation><KeyValueStoreARN>arn:aws:cloudfront::123456789012:key-value-store/0123</KeyValueStoreARN></KeyValueStoreAssociation></Items></KeyValueStoreAssociations></FunctionConfig><FunctionCode>
Y29k
ZQ==
</FunctionCode><Tags><Items><Tag><Key>k</Key><Value>v</Value></Tag></Items></Tags><!-- trailing comment --></CreateFunctionRequest><!-- after -->`,
}

func TestDecodeCreateFunctionClientShapes(t *testing.T) {
	want := functions.CreateInput{
		Name:   "cap-fn",
		Config: functions.Config{Comment: "", Runtime: "cloudfront-js-2.0", KeyValueStoreARNs: []string{"arn:aws:cloudfront::123456789012:key-value-store/0123"}},
		Code:   []byte("code"),
		Tags:   []functions.Tag{{Key: "k", Value: "v"}},
	}
	for client, body := range createBodies {
		got, err := decodeCreateFunction([]byte(body))
		if err != nil {
			t.Errorf("%s: %v", client, err)
			continue
		}
		if got.Name != want.Name || got.Config.Comment != want.Config.Comment || got.Config.Runtime != want.Config.Runtime ||
			!slices.Equal(got.Config.KeyValueStoreARNs, want.Config.KeyValueStoreARNs) || !bytes.Equal(got.Code, want.Code) || !slices.Equal(got.Tags, want.Tags) {
			t.Errorf("%s: got %+v, want %+v", client, got, want)
		}
	}
}

func TestDecodeUpdateAndTest(t *testing.T) {
	cfg, code, err := decodeUpdateFunction([]byte(`<UpdateFunctionRequest ` + ns + `><FunctionConfig><Comment>c &amp; d</Comment><Runtime>cloudfront-js-1.0</Runtime></FunctionConfig><FunctionCode>eA==</FunctionCode></UpdateFunctionRequest>`))
	if err != nil || cfg.Comment != "c & d" || cfg.Runtime != "cloudfront-js-1.0" || string(code) != "x" || cfg.KeyValueStoreARNs != nil {
		t.Errorf("update: %+v %q %v", cfg, code, err)
	}
	// Go and JS put EventObject before Stage; botocore the other way round.
	for _, body := range []string{
		`<TestFunctionRequest ` + ns + `><EventObject>e30=</EventObject><Stage>LIVE</Stage></TestFunctionRequest>`,
		`<TestFunctionRequest ` + ns + `><Stage>LIVE</Stage><EventObject>e30=</EventObject></TestFunctionRequest>`,
	} {
		in, err := decodeTestFunction([]byte(body))
		if err != nil || in.Stage != functions.Live || string(in.Event) != "{}" {
			t.Errorf("test: %+v %v", in, err)
		}
	}
	in, err := decodeTestFunction([]byte(`<TestFunctionRequest ` + ns + `><EventObject></EventObject></TestFunctionRequest>`))
	if err != nil || in.Stage != "" || len(in.Event) != 0 {
		t.Errorf("empty event: %+v %v", in, err)
	}
	keys, err := decodeTagKeys([]byte(`<TagKeys ` + ns + `><Items><Key>a</Key><Key>b</Key></Items></TagKeys>`))
	if err != nil || !slices.Equal(keys, []string{"a", "b"}) {
		t.Errorf("tag keys: %v %v", keys, err)
	}
	tags, err := decodeTags([]byte(`<Tags ` + ns + `><Items><Tag><Key>a</Key><Value/></Tag></Items></Tags>`))
	if err != nil || !slices.Equal(tags, []functions.Tag{{Key: "a"}}) {
		t.Errorf("tags: %v %v", tags, err)
	}
}

func TestDecodeRejects(t *testing.T) {
	cases := map[string]string{
		"MalformedXML":    `<CreateFunctionRequest ` + ns + `><Name>x</Name>`,
		"InvalidArgument": `<CreateFunctionRequest ` + ns + `><FunctionCode>Y29kZQ=</FunctionCode></CreateFunctionRequest>`,
	}
	for code, body := range cases {
		_, err := decodeCreateFunction([]byte(body))
		if e := apierror.As(err); e == nil || e.Code != code || e.Status != 400 {
			t.Errorf("%s: got %v", body, err)
		}
	}
	// A KVS list without Quantity is malformed.
	_, err := decodeCreateFunction([]byte(`<CreateFunctionRequest ` + ns + `><FunctionConfig><KeyValueStoreAssociations/></FunctionConfig></CreateFunctionRequest>`))
	if e := apierror.As(err); e == nil || e.Code != "MalformedXML" {
		t.Errorf("missing Quantity: %v", err)
	}
	// An entity the XML does not declare is an error, not an expansion.
	_, err = decodeCreateFunction([]byte(`<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><CreateFunctionRequest ` + ns + `><Name>&e;</Name></CreateFunctionRequest>`))
	if e := apierror.As(err); e == nil || e.Code != "MalformedXML" {
		t.Errorf("external entity: %v", err)
	}
}

// FuzzDecodeCreateFunction feeds arbitrary bodies: decoding never panics, and it either
// succeeds or returns a 400 API error.
func FuzzDecodeCreateFunction(f *testing.F) {
	for _, body := range createBodies {
		f.Add([]byte(body))
	}
	f.Add([]byte(``))
	f.Add([]byte(`<CreateFunctionRequest/>`))
	f.Add([]byte(`<CreateFunctionRequest ` + ns + `><FunctionCode>!!</FunctionCode></CreateFunctionRequest>`))
	f.Add([]byte(`<a><b><c></c></b></a>trailing`))
	f.Fuzz(func(t *testing.T, body []byte) {
		in, err := decodeCreateFunction(body)
		if err != nil {
			if e := apierror.As(err); e == nil || e.Status != http.StatusBadRequest {
				t.Fatalf("error %v is not a 400 API error", err)
			}
			return
		}
		if !bytes.Contains(body, []byte("CreateFunctionRequest")) {
			t.Fatalf("accepted a body without the root element: %q -> %+v", body, in)
		}
	})
}

// FuzzCreateFunctionRoundTrip builds bodies the way clients do, in both element orders,
// from arbitrary fields, and checks the decoder gives the fields back exactly.
func FuzzCreateFunctionRoundTrip(f *testing.F) {
	f.Add("cap-fn", "comment", "cloudfront-js-2.0", []byte("function handler(e){return e.request}"), true)
	f.Add("", "<&>\"'", "", []byte{0, 1, 2, 0xff}, false)
	f.Add("x", "\t\r\n ünï", "cloudfront-js-1.0", []byte{}, true)
	f.Fuzz(func(t *testing.T, name, comment, runtime string, code []byte, goOrder bool) {
		for _, s := range []string{name, comment, runtime} {
			if !xmlSafe(s) {
				t.Skip("not representable in XML 1.0")
			}
		}
		esc := func(s string) string {
			var b strings.Builder
			xml.EscapeText(&b, []byte(s))
			return b.String()
		}
		cfg := `<FunctionConfig><Comment>` + esc(comment) + `</Comment><Runtime>` + esc(runtime) + `</Runtime></FunctionConfig>`
		parts := []string{`<Name>` + esc(name) + `</Name>`, cfg, `<FunctionCode>` + base64.StdEncoding.EncodeToString(code) + `</FunctionCode>`}
		if goOrder {
			slices.Reverse(parts) // FunctionCode, FunctionConfig, Name: the Go SDK's alphabetical order
		}
		body := `<CreateFunctionRequest ` + ns + `>` + strings.Join(parts, "") + `</CreateFunctionRequest>`
		in, err := decodeCreateFunction([]byte(body))
		if err != nil {
			t.Fatalf("%s: %v", body, err)
		}
		if in.Name != name || in.Config.Comment != comment || in.Config.Runtime != runtime || !bytes.Equal(in.Code, code) {
			t.Fatalf("round trip of %q gave %+v", body, in)
		}
	})
}

// xmlSafe reports whether s survives XML 1.0 (valid UTF-8, only characters XML allows).
func xmlSafe(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		ok := r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
		if !ok {
			return false
		}
	}
	return true
}
