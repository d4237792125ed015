package runtime

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/localfront/localfront/internal/kvs"
)

// The same redirect function three times: reading its target from the key value store,
// with the target inlined, and awaiting the inlined target. KVSGet − KVSGetBaseline is what
// one kvs.get costs a function; KVSGet − KVSAwaitBaseline is kvs.get's own share, the rest
// being goja's price for one await (which any promise-returning API pays).
const benchKVSTemplate = `import cf from 'cloudfront';
%s
async function handler(event) {
    const request = event.request;
    const target = %s;
    request.headers['x-target'] = { value: target };
    return request;
}`

var (
	benchWithKVS    = fmt.Sprintf(benchKVSTemplate, "const kvs = cf.kvs();", "await kvs.get(request.uri)")
	benchWithoutKVS = fmt.Sprintf(benchKVSTemplate, "", "'/blog/index.html'")
	benchAwaitOnly  = fmt.Sprintf(benchKVSTemplate, "", "await '/blog/index.html'")
)

func benchKVSSnapshot(b *testing.B) *kvs.Snapshot {
	var sb strings.Builder
	sb.WriteString(`{"data":[{"key":"/blog/","value":"/blog/index.html"}`)
	for i := range 1000 {
		fmt.Fprintf(&sb, `,{"key":"/page/%d","value":"/pages/%d.html"}`, i, i)
	}
	sb.WriteString("]}")
	sn, err := kvs.SnapshotFromImport([]byte(sb.String()), "", time.Unix(1700000000, 0))
	if err != nil {
		b.Fatal(err)
	}
	return sn
}

func benchRunKVS(b *testing.B, code string, reader KVSReader) {
	ev := benchEvent()
	benchRunKVSEvents(b, code, reader, func(int) *Event { return ev })
}

func benchRunKVSEvents(b *testing.B, code string, reader KVSReader, event func(i int) *Event) {
	e := NewEngine(Options{})
	p, err := e.Compile("bench", []byte(code), RuntimeJS2)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	inv := Invocation{Now: time.Unix(1700000000, 0), KVS: reader}
	r := e.Run(ctx, p, benchEvent(), inv)
	if r.Err != nil {
		b.Fatal(r.Err)
	}
	if got, _ := r.Request.Headers.Get("x-target"); got.Value != "/blog/index.html" {
		b.Fatalf("x-target %q", got.Value)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if r := e.Run(ctx, p, event(i), inv); r.Err != nil {
			b.Fatal(r.Err)
		}
	}
}

func BenchmarkKVSGet(b *testing.B)         { benchRunKVS(b, benchWithKVS, benchKVSSnapshot(b)) }
func BenchmarkKVSGetBaseline(b *testing.B) { benchRunKVS(b, benchWithoutKVS, benchKVSSnapshot(b)) }

// Every run reads a value no earlier run on the VM read (1000 keys, more than a VM keeps
// promises for): the price of a value's first read, when goja makes its promise.
func BenchmarkKVSGetFirstRead(b *testing.B) {
	events := make([]*Event, 1000)
	for i := range events {
		events[i] = benchEvent()
		events[i].Request.URI = fmt.Sprintf("/page/%d", i)
	}
	benchRunKVSEvents(b, benchWithKVS, benchKVSSnapshot(b), func(i int) *Event { return events[i%len(events)] })
}

func BenchmarkKVSAwaitBaseline(b *testing.B) {
	benchRunKVS(b, benchAwaitOnly, benchKVSSnapshot(b))
}
