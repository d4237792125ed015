package wirecapture

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func mustParse(t *testing.T, name string) Capture {
	t.Helper()
	c, err := Parse(filepath.Join(Dir(), name+".txt"))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestParseDirReadsEveryCapture(t *testing.T) {
	all, err := ParseDir(Dir())
	if err != nil {
		t.Fatal(err)
	}
	// 179 of the recorded files hold a request; the two others in testdata do not.
	if len(all) != 179 {
		t.Fatalf("parsed %d captures, want 179", len(all))
	}
	for _, c := range all {
		r, err := c.ToHTTPRequest()
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			t.Fatalf("%s: reading body: %v", c.Name, err)
		}
		if !bytes.Equal(body, c.Body) {
			t.Errorf("%s: request body differs from capture body", c.Name)
		}
		if r.Method != c.Method || r.RequestURI != c.Target {
			t.Errorf("%s: got %s %s, want %s %s", c.Name, r.Method, r.RequestURI, c.Method, c.Target)
		}
		if r.URL.EscapedPath() != c.Path {
			t.Errorf("%s: escaped path %q, recorder noted %q", c.Name, r.URL.EscapedPath(), c.Path)
		}
		if got := len(r.URL.Query()); got != len(c.Query) {
			t.Errorf("%s: %d query parameters, recorder noted %d", c.Name, got, len(c.Query))
		}
		if _, ok := c.Header("Authorization"); !ok {
			t.Errorf("%s: no Authorization header", c.Name)
		}
		if c.Response == nil || c.Response.Status < 200 {
			t.Errorf("%s: missing response section", c.Name)
		}
	}
}

func TestParseFields(t *testing.T) {
	c := mustParse(t, "gosdk-update-function")
	if c.Name != "gosdk-update-function" || c.Number != 119 {
		t.Errorf("name/number = %q/%d", c.Name, c.Number)
	}
	if want := time.Date(2026, 11, 24, 21, 11, 30, 7e6, time.UTC); !c.Received.Equal(want) {
		t.Errorf("received %v, want %v", c.Received, want)
	}
	if c.Method != "PUT" || c.Target != "/2020-05-31/function/cap-fn" || c.Proto != "HTTP/1.1" {
		t.Errorf("request line = %q %q %q", c.Method, c.Target, c.Proto)
	}
	if len(c.Headers) != 10 || c.Headers[0] != (Header{"Host", "127.0.0.1:18080"}) ||
		c.Headers[9] != (Header{"Accept-Encoding", "gzip"}) {
		t.Errorf("headers = %q", c.Headers)
	}
	if v, _ := c.Header("if-match"); v != "ETVPDKIKX0DER" {
		t.Errorf("If-Match = %q", v)
	}
	if len(c.Body) != 519 || !bytes.HasPrefix(c.Body, []byte("<UpdateFunctionRequest ")) ||
		!bytes.HasSuffix(c.Body, []byte("</UpdateFunctionRequest>")) {
		t.Errorf("body = %q", c.Body)
	}
	resp := c.Response
	if resp.Status != 200 || len(resp.Headers) != 4 || resp.Headers[2] != (Header{"ETtag", "E3UN6WX5RRO2AG"}) {
		t.Errorf("response = %d %q", resp.Status, resp.Headers)
	}
	if !bytes.HasPrefix(resp.Body, []byte("<?xml")) || !bytes.HasSuffix(resp.Body, []byte("</FunctionSummary>")) {
		t.Errorf("response body = %q", resp.Body)
	}
	if !strings.HasPrefix(c.ClientText, "--- client gosdk-update-function result:\nOK {") {
		t.Errorf("client text = %q", c.ClientText)
	}
}

func TestParseQueryAndEmptyResponse(t *testing.T) {
	c := mustParse(t, "awscli1-list-functions")
	if len(c.Query) != 2 || c.Query[0] != [2]string{"MaxItems", "5"} || c.Query[1] != [2]string{"Stage", "DEVELOPMENT"} {
		t.Errorf("query = %q", c.Query)
	}
	d := mustParse(t, "gosdk-delete-function")
	if d.Response.Status != 204 || len(d.Response.Body) != 0 || len(d.Response.Headers) != 1 {
		t.Errorf("response = %+v", d.Response)
	}
}

func TestAbsoluteFormTarget(t *testing.T) {
	c := mustParse(t, "boto3-pyenv-kvs-key-with-slash")
	if !strings.HasPrefix(c.Target, "http://123456789012.localhost:18080/key-value-stores/arn%3Aaws") {
		t.Fatalf("target = %q", c.Target)
	}
	r, err := c.ToHTTPRequest()
	if err != nil {
		t.Fatal(err)
	}
	if r.Host != "123456789012.localhost:18080" || r.URL.Host != r.Host {
		t.Errorf("host = %q, url host = %q", r.Host, r.URL.Host)
	}
	if !strings.HasSuffix(r.URL.EscapedPath(), "/keys/dir%2Fa%20b") {
		t.Errorf("escaped path = %q", r.URL.EscapedPath())
	}
}

func TestToHTTPRequestIsFreshEachTime(t *testing.T) {
	c := mustParse(t, "gosdk-kvs-put-key")
	for range 2 {
		r, err := c.ToHTTPRequest()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(r.Body)
		if string(b) != `{"Value":"v1"}` || r.ContentLength != 14 {
			t.Fatalf("body %q, length %d", b, r.ContentLength)
		}
	}
}

func TestNoRequest(t *testing.T) {
	for _, name := range []string{"awscli1-kvs-default-endpoint", "jssdk-nosigv4a-kvs-get-key"} {
		_, err := Parse(filepath.Join(Dir(), name+".txt"))
		if !errors.Is(err, ErrNoRequest) {
			t.Errorf("%s: err = %v, want ErrNoRequest", name, err)
		}
	}
	if _, err := Parse(filepath.Join(t.TempDir(), "missing.txt")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: err = %v", err)
	}
}

const goodCapture = "=== REQUEST #1 2026-11-24T21:11:30.007Z\n" +
	"POST /p?a=1 HTTP/1.1\n" +
	"# path=/p\n" +
	"# query=[[\"a\", \"1\"]]\n" +
	"Host: h\n" +
	"Content-Length: 3\n" +
	"--- body (3 bytes) ---\n" +
	"abc\n" +
	"--- response 200 ---\n" +
	"X-A: 1\n" +
	"{\"k\": 1}\n\n" +
	"--- client x result:\nOK\n"

func TestParseBytesGood(t *testing.T) {
	c, err := ParseBytes([]byte(goodCapture))
	if err != nil {
		t.Fatal(err)
	}
	if string(c.Body) != "abc" || c.Response.Status != 200 || string(c.Response.Body) != `{"k": 1}` ||
		c.ClientText != "--- client x result:\nOK\n" {
		t.Errorf("parsed %+v, response %+v", c, c.Response)
	}
}

func TestParseBytesRejectsMalformed(t *testing.T) {
	edit := func(old, new string) string { return strings.Replace(goodCapture, old, new, 1) }
	cases := map[string]struct{ input, wantErr string }{
		"marker number":      {edit("#1 ", "#x "), `request number "x"`},
		"marker time":        {edit("2026-11-24T21:11:30.007Z", "yesterday"), `request time "yesterday"`},
		"marker mid-line":    {"junk" + goodCapture, "does not start a line"},
		"request line":       {edit("POST /p?a=1 HTTP/1.1", "POST /p"), "malformed request line"},
		"no path line":       {edit("# path=/p\n", ""), `want "# path=" line`},
		"query not JSON":     {edit(`[["a", "1"]]`, `[a]`), "query is not a JSON list"},
		"query wrong shape":  {edit(`[["a", "1"]]`, `[["a", "1", "2"]]`), "query is not a JSON list"},
		"bad header":         {edit("Host: h", "Host h"), `malformed header line "Host h"`},
		"header name":        {edit("Host: h", "Bad Name: h"), "malformed header line"},
		"no body marker":     {edit("--- body (3 bytes) ---", "--- body ---"), "malformed header line"},
		"truncated":          {goodCapture[:strings.Index(goodCapture, "abc")+1], "runs past the end"},
		"body longer":        {edit("abc\n", "abcd\n"), "longer than its declared 3 bytes"},
		"length mismatch":    {edit("Content-Length: 3", "Content-Length: 4"), `Content-Length "4" does not match`},
		"body without CL":    {edit("Content-Length: 3\n", ""), "no Content-Length"},
		"bad response line":  {edit("--- response 200 ---", "--- reply 200 ---"), "want \"--- response NNN ---\""},
		"bad response code":  {edit("--- response 200 ---", "--- response OK ---"), `response status "OK"`},
		"header block never": {"=== REQUEST #1 2026-11-24T21:11:30Z\nGET / HTTP/1.1\n# path=/\n# query=[]\nHost: h\n", "no \"--- body (N bytes) ---\" line"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := ParseBytes([]byte(tc.input))
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("err = %v, want it to contain %q", err, tc.wantErr)
			}
			if !strings.HasPrefix(err.Error(), "capture line ") {
				t.Errorf("error %q does not name the line", err)
			}
		})
	}
}

func TestErrorNamesFileAndLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.txt")
	bad := "--- client command: x\n" + strings.Replace(goodCapture, "Host: h", "Host h", 1)
	if err := os.WriteFile(path, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Parse(path)
	if err == nil || !strings.Contains(err.Error(), path+": capture line 6:") {
		t.Fatalf("err = %v", err)
	}
}

func FuzzParseBytes(f *testing.F) {
	f.Add([]byte(goodCapture))
	for _, name := range []string{"gosdk-update-function", "boto3-pyenv-kvs-key-with-slash", "gosdk-delete-function"} {
		data, err := os.ReadFile(filepath.Join(Dir(), name+".txt"))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseBytes(data)
		if err != nil {
			return
		}
		// A parsed body is always the declared slice of the input, with a matching Content-Length.
		if !bytes.Contains(data, c.Body) {
			t.Fatalf("body %q is not part of the input", c.Body)
		}
		if err := c.checkContentLength(); err != nil {
			t.Fatalf("accepted a capture whose length check fails: %v", err)
		}
		if r, err := c.ToHTTPRequest(); err == nil {
			if b, _ := io.ReadAll(r.Body); len(c.Body) > 0 && !bytes.Equal(b, c.Body) && r.ContentLength == int64(len(c.Body)) {
				t.Fatalf("request body %q, capture body %q", b, c.Body)
			}
		}
	})
}
