package distxml

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/localfront/localfront/internal/apierror/apierrortest"
)

func readFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// tokens flattens a document with encoding/xml, independently of this package's parser:
// element names with their namespace, and text, skipping whitespace between elements,
// comments and the declaration. Two documents are XML-equivalent when their tokens are
// equal.
func tokens(t testing.TB, doc []byte) []string {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(doc))
	var out []string
	var text strings.Builder
	flush := func(end bool) {
		s := text.String()
		text.Reset()
		if strings.TrimSpace(s) != "" || (end && s != "") {
			out = append(out, "text:"+s)
		}
	}
	lastWasStart := false
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatalf("not XML: %v\n%s", err, doc)
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			flush(false)
			out = append(out, "<"+tk.Name.Space+" "+tk.Name.Local+">")
			lastWasStart = true
		case xml.EndElement:
			// Text directly inside a leaf (even whitespace-only) is content.
			flush(lastWasStart)
			out = append(out, "</"+tk.Name.Local+">")
			lastWasStart = false
		case xml.CharData:
			text.Write(tk)
		}
	}
}

func sameXML(t *testing.T, got, want []byte) {
	t.Helper()
	g, w := tokens(t, got), tokens(t, want)
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			t.Fatalf("documents differ at token %d: got %q, want %q\ngot:\n%s", i, g[i], w[i], got)
		}
	}
	if len(g) != len(w) {
		t.Fatalf("documents differ in length: got %d tokens, want %d\ngot:\n%s", len(g), len(w), got)
	}
}

var wantAPIError = apierrortest.Want
