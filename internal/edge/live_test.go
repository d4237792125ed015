package edge

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/localfront/localfront/internal/distributions"
)

// LIVE changes: publishing and distribution updates take effect at once, without a restart,
// and requests already in flight finish with the configuration they started with.
func TestEdgeAppliesChangesWithoutDroppingInFlightRequests(t *testing.T) {
	f := newFixture(t)
	release := make(chan struct{})
	arrived := make(chan struct{}, 1)
	f.origin.setHandler(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			arrived <- struct{}{}
			<-release
		}
		w.Write([]byte("version=" + r.Header.Get("X-Version")))
	})
	version := func(v string) string {
		return `function handler(event) { event.request.headers['x-version'] = {value: '` + v + `'}; return event.request; }`
	}
	arn := f.publish("versioned", js2, version("v1"))
	d := f.distribution(arn, "")

	var wg sync.WaitGroup
	var slowStatus int
	var slowBody string
	wg.Add(1)
	go func() {
		defer wg.Done()
		resp, body := f.get(d.DomainName, "/slow")
		slowStatus, slowBody = resp.StatusCode, body
	}()
	<-arrived // the slow request ran v1 and waits at the origin

	f.republish("versioned", version("v2"))
	if _, body := f.get(d.DomainName, "/fast"); body != "version=v2" {
		t.Errorf("after publishing: %q", body)
	}

	other := newTestOrigin(t)
	other.setHandler(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("new behaviour")) })
	cfg, etag, err := f.dists.GetConfig(context.Background(), testAccount, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Origins = append(cfg.Origins, originAt("other", other.srv))
	cfg.Behaviors = []distributions.Behavior{behaviorTo("/new/*", "other", "", "")}
	cfg.Aliases = []string{"live.example.com"}
	if _, err := f.dists.Update(context.Background(), testAccount, d.ID, etag, cfg); err != nil {
		t.Fatal(err)
	}
	if _, body := f.get("live.example.com", "/new/x"); body != "new behaviour" {
		t.Errorf("after the update: %q", body)
	}

	close(release)
	wg.Wait()
	if slowStatus != 200 || slowBody != "version=v1" {
		t.Errorf("in-flight request: %d %q, want 200 from the v1 run", slowStatus, slowBody)
	}

	cfg.Enabled = false
	disabled, err := f.dists.Update(context.Background(), testAccount, d.ID, currentETag(t, f, d.ID), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if resp, _ := f.get(d.DomainName, "/"); resp.StatusCode != 403 {
		t.Errorf("disabled: %d", resp.StatusCode)
	}
	if err := f.dists.Delete(context.Background(), testAccount, d.ID, disabled.ETag); err != nil {
		t.Fatal(err)
	}
	if resp, _ := f.get("live.example.com", "/"); resp.StatusCode != 403 {
		t.Errorf("deleted: %d", resp.StatusCode)
	}
	if n := len(f.edge.snap.Load().dists); n != 0 {
		t.Errorf("%d distributions left in the routing table", n)
	}
}

// currentETag returns the current ETag of a distribution.
func currentETag(t *testing.T, f *fixture, id string) string {
	t.Helper()
	_, etag, err := f.dists.GetConfig(context.Background(), testAccount, id)
	if err != nil {
		t.Fatal(err)
	}
	return etag
}

// Header names go out in Title-Case (spec §9.5), checked on the wire: net/http clients and
// servers canonicalise names themselves, so both ends here read raw bytes.
func TestEdgeWritesTitleCaseHeaderNames(t *testing.T) {
	f := newFixture(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	heads := make(chan string, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		head := readHead(bufio.NewReader(c))
		heads <- head
		io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nx-lower-origin: v\r\nConnection: close\r\n\r\nok")
	}()
	vreq := f.publish("addreq", js2, `function handler(e) { e.request.headers['x-added-header'] = {value: 'a'}; return e.request; }`)
	vresp := f.publish("addresp", js2, `function handler(e) { e.response.headers['x-resp-header-name'] = {value: 'b'}; return e.response; }`)
	port := ln.Addr().(*net.TCPAddr).Port
	d := f.distribution(vreq, vresp, func(c *distributions.Config) {
		c.Origins[0].Custom.HTTPPort = port
	})

	c, err := net.Dial("tcp", strings.TrimPrefix(f.srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, "GET /x HTTP/1.1\r\nHost: "+d.DomainName+"\r\nx-viewer-lower: 1\r\nConnection: close\r\n\r\n")
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	raw, _ := io.ReadAll(c)
	var originHead string
	select {
	case originHead = <-heads:
	case <-time.After(10 * time.Second):
		t.Fatal("the origin got nothing")
	}
	for _, want := range []string{"\r\nX-Added-Header: a\r\n", "\r\nX-Viewer-Lower: 1\r\n", "\r\nX-Amz-Cf-Id: "} {
		if !strings.Contains(originHead, want) {
			t.Errorf("origin request lacks %q:\n%s", want, originHead)
		}
	}
	for _, want := range []string{"\r\nX-Resp-Header-Name: b\r\n", "\r\nX-Lower-Origin: v\r\n", "\r\nX-Cache: Miss from cloudfront\r\n"} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("response lacks %q:\n%s", want, raw)
		}
	}
}

func readHead(br *bufio.Reader) string {
	var b strings.Builder
	for {
		line, err := br.ReadString('\n')
		b.WriteString(line)
		if err != nil || line == "\r\n" {
			return b.String()
		}
	}
}
