package distxml

import (
	"reflect"
	"strings"
	"testing"

	"github.com/localfront/localfront/internal/apierror"
	"github.com/localfront/localfront/internal/distributions"
)

// FuzzDecodeConfig: any input either decodes or fails with a 400 API error, and a decoded
// config is a fixed point (rendering and decoding it again changes nothing).
func FuzzDecodeConfig(f *testing.F) {
	f.Add(readFile(f, "testdata/terraform-style.xml"))
	f.Add([]byte(minimal("", "")))
	f.Add([]byte(minimal(fa("arn:aws:cloudfront::111122223333:function/f", "viewer-request"), "<PriceClass>None</PriceClass>")))
	f.Add([]byte(minimal("", "<Aliases><Quantity>1</Quantity><Items><CNAME>a&amp;b</CNAME></Items></Aliases>")))
	f.Add([]byte(minimal("", "<Restrictions><GeoRestriction><RestrictionType>none</RestrictionType><Quantity>0</Quantity></GeoRestriction></Restrictions>")))
	f.Add([]byte(`<DistributionConfig><![CDATA[x]]></DistributionConfig>`))
	f.Add([]byte(`<?xml version="1.0"?><!-- c --><DistributionConfig/>`))
	f.Add([]byte(`<a:DistributionConfig xmlns:a="http://cloudfront.amazonaws.com/doc/2020-05-31/"><a:Comment>x</a:Comment></a:DistributionConfig>`))
	f.Add([]byte("\x00<"))
	f.Add([]byte(strings.Repeat("<Items>", 50)))
	f.Fuzz(func(t *testing.T, body []byte) {
		cfg, err := DecodeConfig(body)
		if err != nil {
			if e := apierror.As(err); e == nil || e.Status != 400 {
				t.Fatalf("error %v is not a 400 API error", err)
			}
			return
		}
		out, err := EncodeConfig(cfg)
		if err != nil {
			t.Fatalf("decoded config does not render: %v", err)
		}
		if _, err := EncodeDistribution(distributions.Distribution{ID: "E1U5RQF7T870K0", Config: cfg}); err != nil {
			t.Fatal(err)
		}
		again, err := DecodeConfig(out)
		if err != nil {
			t.Fatalf("rendered config does not decode: %v\n%s", err, out)
		}
		if string(again.Raw) != string(cfg.Raw) {
			t.Fatalf("Raw changed:\n%s\n%s", cfg.Raw, again.Raw)
		}
		again.Raw, cfg.Raw = nil, nil
		if !reflect.DeepEqual(again, cfg) {
			t.Fatalf("fields changed:\n%+v\n%+v", cfg, again)
		}
	})
}
