package runtime

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseQueryKeepsRawValues(t *testing.T) {
	got := ParseQuery("a=1%202&flag&a=x+y&&b=&=v&c=d=e")
	want := Values{
		{Name: "a", Value: Value{Value: "1%202", MultiValue: []MultiValueItem{{Value: "1%202"}, {Value: "x+y"}}}},
		{Name: "flag", Value: Value{Value: ""}},
		{Name: "b", Value: Value{Value: ""}},
		{Name: "", Value: Value{Value: "v"}},
		{Name: "c", Value: Value{Value: "d=e"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
	if ParseQuery("") != nil {
		t.Fatal("empty query must give no parameters")
	}
}

func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"a=1&b", "&&", "=&=", "a=%zz&a=%20", "x=y=z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		vs := ParseQuery(s)
		n := 0
		for _, fl := range vs {
			n += len(fl.All())
			if strings.ContainsRune(fl.Name, '&') || strings.ContainsRune(fl.Name, '=') {
				t.Fatalf("name %q", fl.Name)
			}
		}
		parts := 0
		for _, p := range strings.Split(s, "&") {
			if p != "" {
				parts++
			}
		}
		if n != parts {
			t.Fatalf("%q: %d values for %d parameters", s, n, parts)
		}
	})
}
