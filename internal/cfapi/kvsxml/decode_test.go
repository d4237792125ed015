package kvsxml

import (
	"strings"
	"testing"

	"github.com/localfront/localfront/internal/apierror"
	"github.com/localfront/localfront/internal/wirecapture"
)

// Every CreateKeyValueStoreRequest real clients sent (wire-captures: CLI v1, boto3, Go,
// JS — model order, alphabetical order, with and without an XML declaration) decodes to
// the same input.
func TestDecodeCreateFromWireCaptures(t *testing.T) {
	all, err := wirecapture.ParseDir(wirecapture.Dir())
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range all {
		if c.Method != "POST" || c.Path != "/2020-05-31/key-value-store" {
			continue
		}
		n++
		got, err := DecodeCreate(c.Body)
		if err != nil {
			t.Fatalf("%s: %v\n%s", c.Name, err, c.Body)
		}
		if got.Input.Name != "cap-kvs" || got.Input.Comment != "kvs comment" || got.Input.ImportSource != nil || got.Tags != nil {
			t.Errorf("%s: decoded %+v", c.Name, got)
		}
	}
	if n < 4 {
		t.Fatalf("found %d CreateKeyValueStore captures, want at least 4", n)
	}
}

func TestDecodeCreateFull(t *testing.T) {
	body := `<?xml version="1.0" encoding="UTF-8"?>
<!-- leading comment -->
<CreateKeyValueStoreRequest xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/">
  <Tags><Items><Tag><Value>v1</Value><Key>k1</Key></Tag><Tag><Key>k2</Key></Tag></Items></Tags>
  <ImportSource><SourceARN>file:///tmp/data.json</SourceARN><SourceType>S3</SourceType></ImportSource>
  <Comment>a &amp; b</Comment>
  <Name>store_1</Name>
  <Unmodeled>ignored</Unmodeled>
</CreateKeyValueStoreRequest>
<!-- trailing comment -->
`
	got, err := DecodeCreate([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	in := got.Input
	if in.Name != "store_1" || in.Comment != "a & b" {
		t.Errorf("name %q comment %q", in.Name, in.Comment)
	}
	if in.ImportSource == nil || in.ImportSource.SourceType != "S3" || in.ImportSource.SourceARN != "file:///tmp/data.json" {
		t.Errorf("import source %+v", in.ImportSource)
	}
	want := []Tag{{"k1", "v1"}, {"k2", ""}}
	if len(got.Tags) != 2 || got.Tags[0] != want[0] || got.Tags[1] != want[1] {
		t.Errorf("tags %+v, want %+v", got.Tags, want)
	}
}

func TestDecodeCreateWithoutNamespaceAndEmptyElements(t *testing.T) {
	got, err := DecodeCreate([]byte(`<CreateKeyValueStoreRequest><Name>n</Name><Comment/><Tags/></CreateKeyValueStoreRequest>`))
	if err != nil {
		t.Fatal(err)
	}
	if got.Input.Name != "n" || got.Input.Comment != "" || got.Tags == nil || len(got.Tags) != 0 {
		t.Errorf("decoded %+v", got)
	}
}

func TestDecodeUpdate(t *testing.T) {
	for body, want := range map[string]string{
		`<UpdateKeyValueStoreRequest xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Comment>new</Comment></UpdateKeyValueStoreRequest>`: "new",
		`<UpdateKeyValueStoreRequest xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Comment /></UpdateKeyValueStoreRequest>`:            "",
		`<?xml version="1.0"?><UpdateKeyValueStoreRequest><Comment>ü &lt;x&gt;</Comment></UpdateKeyValueStoreRequest>`:                            "ü <x>",
	} {
		got, err := DecodeUpdate([]byte(body))
		if err != nil {
			t.Fatalf("%s: %v", body, err)
		}
		if got != want {
			t.Errorf("%s: comment %q, want %q", body, got, want)
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	const ns = ` xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"`
	cases := []struct {
		name, body, code, inMessage string
		update                      bool
	}{
		{"empty", "", "MissingBody", "requires a body", false},
		{"blank", " \n\t", "MissingBody", "requires a body", true},
		{"not xml", "Name=x", "MalformedXML", "not well-formed", false},
		{"truncated", `<CreateKeyValueStoreRequest` + ns + `><Name>x</Name>`, "MalformedXML", "not well-formed", false},
		{"wrong root", `<CreateFunctionRequest` + ns + `><Name>x</Name></CreateFunctionRequest>`, "MalformedXML", "must be <CreateKeyValueStoreRequest>", false},
		{"update root for create", `<UpdateKeyValueStoreRequest` + ns + `><Comment>x</Comment></UpdateKeyValueStoreRequest>`, "MalformedXML", "must be <CreateKeyValueStoreRequest>", false},
		{"wrong namespace", `<CreateKeyValueStoreRequest xmlns="http://cloudfront.amazonaws.com/doc/2019-03-26/"><Name>x</Name></CreateKeyValueStoreRequest>`, "MalformedXML", "namespace", false},
		{"second root", `<CreateKeyValueStoreRequest><Name>x</Name></CreateKeyValueStoreRequest><CreateKeyValueStoreRequest/>`, "MalformedXML", "unexpected content after", false},
		{"trailing text", `<CreateKeyValueStoreRequest><Name>x</Name></CreateKeyValueStoreRequest>junk`, "MalformedXML", "unexpected text after", false},
		{"mismatched tags", `<CreateKeyValueStoreRequest><Name>x</Comment></CreateKeyValueStoreRequest>`, "MalformedXML", "not well-formed", false},
		{"missing name", `<CreateKeyValueStoreRequest` + ns + `><Comment>c</Comment></CreateKeyValueStoreRequest>`, "MalformedXML", "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null", false},
		{"import source incomplete", `<CreateKeyValueStoreRequest><Name>x</Name><ImportSource/></CreateKeyValueStoreRequest>`, "MalformedXML", "2 validation errors detected: Value null at 'importSource.sourceType' failed to satisfy constraint: Member must not be null; Value null at 'importSource.sourceARN'", false},
		{"tag without key", `<CreateKeyValueStoreRequest><Name>x</Name><Tags><Items><Tag><Key>a</Key></Tag><Tag><Value>v</Value></Tag></Items></Tags></CreateKeyValueStoreRequest>`, "MalformedXML", "Value null at 'tags.items.2.member.key'", false},
		{"update without comment", `<UpdateKeyValueStoreRequest` + ns + `></UpdateKeyValueStoreRequest>`, "MalformedXML", "Value null at 'comment'", true},
		{"update wrong root", `<KeyValueStore><Comment>x</Comment></KeyValueStore>`, "MalformedXML", "must be <UpdateKeyValueStoreRequest>", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var err error
			if c.update {
				_, err = DecodeUpdate([]byte(c.body))
			} else {
				_, err = DecodeCreate([]byte(c.body))
			}
			e := apierror.As(err)
			if e == nil {
				t.Fatalf("error %v, want an API error %s", err, c.code)
			}
			if e.Code != c.code || e.Status != 400 || !strings.Contains(e.Message, c.inMessage) {
				t.Errorf("got %d %s %q, want 400 %s containing %q", e.Status, e.Code, e.Message, c.code, c.inMessage)
			}
		})
	}
}

// FuzzDecode checks that no body makes the decoders panic, and that every error is an
// API error a client can read.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		"",
		`<CreateKeyValueStoreRequest xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Comment>kvs comment</Comment><Name>cap-kvs</Name></CreateKeyValueStoreRequest>`,
		`<CreateKeyValueStoreRequest><Name>n</Name><ImportSource><SourceType>S3</SourceType><SourceARN>/x</SourceARN></ImportSource><Tags><Items><Tag><Key>k</Key><Value>v</Value></Tag></Items></Tags></CreateKeyValueStoreRequest>`,
		`<UpdateKeyValueStoreRequest><Comment>c</Comment></UpdateKeyValueStoreRequest>`,
		`<UpdateKeyValueStoreRequest><Comment><x/></Comment></UpdateKeyValueStoreRequest>`,
		`<!DOCTYPE x [<!ENTITY a "b">]><CreateKeyValueStoreRequest><Name>&a;</Name></CreateKeyValueStoreRequest>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if _, err := DecodeCreate(body); err != nil && apierror.As(err) == nil {
			t.Fatalf("DecodeCreate: non-API error %v", err)
		}
		if _, err := DecodeUpdate(body); err != nil && apierror.As(err) == nil {
			t.Fatalf("DecodeUpdate: non-API error %v", err)
		}
	})
}
