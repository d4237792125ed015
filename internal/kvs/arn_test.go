package kvs

import (
	"strings"
	"testing"

	"github.com/localfront/localfront/internal/accountid"
)

func TestParseARN(t *testing.T) {
	acct, id, err := ParseARN("arn:aws:cloudfront::123456789012:key-value-store/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111")
	if err != nil || acct != "123456789012" || id != "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111" {
		t.Fatalf("%q %q %v", acct, id, err)
	}
	for _, bad := range []string{
		"", "arn:aws:cloudfront::123456789012:key-value-store", "arn::cloudfront::123456789012:key-value-store/x",
		"arn:aws:cloudfront:us-east-1:123456789012:key-value-store/x", "arn:aws:cloudfront::1234567890123:key-value-store/x",
		"arn:aws:cloudfront::12345678901a:key-value-store/x", "arn:aws:lambda::123456789012:key-value-store/x",
		"arn:aws:cloudfront::123456789012:key-value-store/x/y", "arn:aws:cloudfront::123456789012:key-value-store/x:y",
		"arn:aws:cloudfront::123456789012:key-value-store/" + strings.Repeat("a", 65),
	} {
		if _, _, err := ParseARN(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func FuzzParseARN(f *testing.F) {
	f.Add("arn:aws:cloudfront::123456789012:key-value-store/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111")
	f.Add("arn:aws-cn:cloudfront::000000000000:key-value-store/x")
	f.Add("arn:aws:cloudfront::123456789012:key-value-store/")
	f.Add("arn:::::")
	f.Fuzz(func(t *testing.T, arn string) {
		acct, id, err := ParseARN(arn)
		if err != nil {
			return
		}
		if !accountid.Valid(acct) || !isStoreID(id) || !strings.HasSuffix(arn, ":"+acct+":key-value-store/"+id) {
			t.Fatalf("%q parsed to %q %q", arn, acct, id)
		}
		if strings.HasPrefix(arn, "arn:aws:") && FormatARN(acct, id) != arn {
			t.Fatalf("round trip of %q gave %q", arn, FormatARN(acct, id))
		}
	})
}
