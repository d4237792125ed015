package forward

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"net/http/httputil"
	"strings"
	"testing"
)

// parseAll runs the response parser over raw bytes the way exchange does, and reads the body.
func parseAll(raw []byte, method string) (*Response, []byte, error) {
	br := bufio.NewReaderSize(bytes.NewReader(raw), readBufferSize)
	resp := &Response{ContentLength: -1}
	if err := readHead(br, resp, DefaultMaxHeaderBytes); err != nil {
		return nil, nil, err
	}
	if err := frame(resp, method); err != nil {
		return nil, nil, err
	}
	resp.body.br = br
	body, err := io.ReadAll(&resp.body)
	return resp, body, err
}

var headSeeds = []string{
	"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
	"HTTP/1.1 200 OK\nContent-Length: 5\n\nhello",
	"HTTP/1.0 404 Not Found\r\nContent-Type: text/html\r\n\r\ngone",
	"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;a=b\r\nhello\r\n0\r\nX-T: 1\r\n\r\n",
	"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n1\r\nx\r\n0\r\n\r\n",
	"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\nraw until close",
	"HTTP/1.1 204 No Content\r\n\r\n",
	"HTTP/1.1 103 Early Hints\r\nLink: <a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
	"HTTP/1.1 200 OK\r\nContent-Length: 3, 3\r\n\r\nabc",
	"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
	"HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n",
	"HTTP/1.1 200 OK\r\nConnection: close, X-Hop\r\nX-Hop: 1\r\nContent-Length: 0\r\n\r\n",
	"HTTP/1.1 200 OK\r\nX-A:  padded \t\r\nContent-Length: 0\r\n\r\n",
	"HTTP/1.1 200 OK\r\n folded\r\n\r\n",
	"HTTP/1.1 999 Custom\r\nContent-Length: 0\r\n\r\n",
	"HTTP/1.1 2000 OK\r\n\r\n",
	"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffff\r\n",
	"\r\n\r\n",
	"",
}

func TestParseSeeds(t *testing.T) {
	cases := []struct {
		raw    string
		status int
		body   string
		ok     bool
	}{
		{headSeeds[0], 200, "hello", true},
		{headSeeds[1], 200, "hello", true},
		{headSeeds[2], 404, "gone", true},
		{headSeeds[3], 200, "hello", true},
		{headSeeds[4], 200, "x", true},
		{headSeeds[5], 200, "raw until close", true},
		{headSeeds[6], 204, "", true},
		{headSeeds[7], 200, "", true},
		{headSeeds[8], 200, "abc", true},
		{headSeeds[9], 0, "", false},
		{headSeeds[10], 200, "", true},
		{headSeeds[13], 0, "", false},
		{headSeeds[14], 999, "", true},
		{headSeeds[15], 0, "", false},
		{headSeeds[17], 0, "", false},
		{headSeeds[18], 0, "", false},
	}
	for i, c := range cases {
		resp, body, err := parseAll([]byte(c.raw), "GET")
		if (err == nil) != c.ok {
			t.Errorf("case %d %.30q: err %v, want ok=%v", i, c.raw, err, c.ok)
			continue
		}
		if c.ok && (resp.StatusCode != c.status || string(body) != c.body) {
			t.Errorf("case %d: status %d body %q", i, resp.StatusCode, body)
		}
	}
	resp, _, err := parseAll([]byte(headSeeds[11]), "GET")
	if err != nil || resp.keepAlive || resp.Header.Get("X-Hop") != "" || resp.Header.Get("Connection") != "" {
		t.Errorf("connection-listed: %v %v %v", err, resp.keepAlive, resp.Header)
	}
	resp, _, _ = parseAll([]byte(headSeeds[12]), "GET")
	if got := resp.Header.Get("X-A"); got != "padded" {
		t.Errorf("OWS not trimmed: %q", got)
	}
	resp, _, _ = parseAll([]byte("HTTP/1.1 204 No Content\r\nContent-Length: 7\r\n\r\n"), "GET")
	if _, ok := resp.Header["Content-Length"]; ok || resp.ContentLength != 0 {
		t.Errorf("204 kept Content-Length: %v", resp.Header)
	}
	_, _, err = parseAll([]byte(headSeeds[16]), "GET")
	if err == nil {
		t.Error("oversized chunk size accepted")
	}
}

func TestLargeHeadTakesTheSlowPath(t *testing.T) {
	big := strings.Repeat("v", 20<<10) // larger than the read buffer, within the limit
	raw := "HTTP/1.1 200 OK\r\nX-Big: " + big + "\r\nX-After: 1\r\nContent-Length: 2\r\n\r\nok"
	resp, body, err := parseAll([]byte(raw), "GET")
	if err != nil {
		t.Fatal(err)
	}
	if resp.Header.Get("X-Big") != big || resp.Header.Get("X-After") != "1" || string(body) != "ok" {
		t.Errorf("slow path lost data: %d %q %q", len(resp.Header.Get("X-Big")), resp.Header.Get("X-After"), body)
	}
}

// FuzzResponse checks the parser never panics, never keeps a hop-by-hop field, and agrees
// with net/http's parser on status and body whenever both accept a message.
func FuzzResponse(f *testing.F) {
	for _, s := range headSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		resp, body, err := parseAll(raw, "GET")
		if err != nil {
			return
		}
		if resp.StatusCode < 200 || resp.StatusCode > 999 {
			t.Fatalf("final status %d", resp.StatusCode)
		}
		for k := range resp.Header {
			if hopByHop(k) {
				t.Fatalf("hop-by-hop field %q kept", k)
			}
		}
		if resp.ContentLength >= 0 && resp.body.mode == bodyLength && int64(len(body)) != resp.ContentLength {
			t.Fatalf("body %d bytes, Content-Length %d", len(body), resp.ContentLength)
		}
		ref, rerr := http.ReadResponse(bufio.NewReader(bytes.NewReader(raw)), &http.Request{Method: "GET"})
		if rerr != nil {
			return // net/http is stricter on some inputs; we only compare when both accept
		}
		refBody, berr := io.ReadAll(ref.Body)
		if berr != nil || ref.StatusCode < 200 {
			return
		}
		if ref.StatusCode != resp.StatusCode || !bytes.Equal(refBody, body) {
			t.Fatalf("disagree with net/http: %d %q vs %d %q", resp.StatusCode, body, ref.StatusCode, refBody)
		}
	})
}

// FuzzChunked compares the chunked decoder with net/http/httputil's.
func FuzzChunked(f *testing.F) {
	for _, s := range []string{"5\r\nhello\r\n0\r\n\r\n", "1;x=y\r\na\r\n2\r\nbc\r\n0\r\nT: v\r\n\r\n",
		"0\r\n\r\n", "5\r\nhel", "z\r\n", "3\nabc\n0\n\n", "1 \r\na\r\n0\r\n\r\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		b := body{br: bufio.NewReader(bytes.NewReader(raw)), mode: bodyChunked}
		got, err := io.ReadAll(&b)
		if err != nil {
			return
		}
		want, werr := io.ReadAll(httputil.NewChunkedReader(bytes.NewReader(raw)))
		if werr == nil && !bytes.Equal(got, want) {
			t.Fatalf("decoded %q, httputil %q", got, want)
		}
	})
}
