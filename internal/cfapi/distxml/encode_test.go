package distxml

import (
	"reflect"
	"testing"

	"github.com/localfront/localfront/internal/cfapi/distxml/distxmltest"
	"github.com/localfront/localfront/internal/distributions"
)

func TestEncodeFromFields(t *testing.T) {
	cfg := distxmltest.FieldsConfig()
	doc, err := EncodeConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	back, err := DecodeConfig(doc)
	if err != nil {
		t.Fatalf("%v\n%s", err, doc)
	}
	back.Raw = nil
	if !reflect.DeepEqual(back, cfg) {
		t.Errorf("fields did not survive rendering:\n got %+v\nwant %+v\n%s", back, cfg, doc)
	}
}

func TestEncodeRejectsCorruptRaw(t *testing.T) {
	for _, raw := range []string{"<DistributionConfig>", "<Other/>"} {
		if _, err := EncodeConfig(distributions.Config{Raw: []byte(raw)}); err == nil {
			t.Errorf("Raw %q rendered", raw)
		}
		if _, err := EncodeDistribution(distributions.Distribution{Config: distributions.Config{Raw: []byte(raw)}}); err == nil {
			t.Errorf("Raw %q rendered in a Distribution", raw)
		}
		if _, err := EncodeList(distributions.ListOutput{Items: []distributions.Distribution{{Config: distributions.Config{Raw: []byte(raw)}}}}); err == nil {
			t.Errorf("Raw %q rendered in a list", raw)
		}
	}
}

func TestEncodeEscapesTextFromCode(t *testing.T) {
	cfg := distxmltest.FieldsConfig()
	cfg.Comment = "nul\x00 bell\a bad\xff ok é <&> \r\n"
	doc, err := EncodeConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	back, err := DecodeConfig(doc)
	if err != nil {
		t.Fatalf("rendered document does not decode: %v", err)
	}
	if want := "nul\uFFFD bell\uFFFD bad\uFFFD ok é <&> \r\n"; back.Comment != want {
		t.Errorf("comment %q, want %q", back.Comment, want)
	}
}

func BenchmarkEncodeDistribution(b *testing.B) {
	cfg, err := DecodeConfig(readFile(b, "testdata/terraform-style.xml"))
	if err != nil {
		b.Fatal(err)
	}
	d := distributions.Distribution{ID: "E1U5RQF7T870K0", Config: cfg}
	for b.Loop() {
		if _, err := EncodeDistribution(d); err != nil {
			b.Fatal(err)
		}
	}
}
