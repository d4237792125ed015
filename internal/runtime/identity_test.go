package runtime

import (
	"context"
	"encoding/binary"
	"math/rand/v2"
	"sort"
	"strings"
	"sync"
	"testing"
)

// Identity: an event converted Go → JS → Go by handlers that return it unchanged (untouched,
// touched everywhere, or rebuilt through JSON) comes back equal.

// The "json" handler goes through plain JS objects, whose keys goja orders as ES2015 does
// (integer-like names first; njs keeps insertion order), so its comparison ignores order.
var identityHandlers = []struct {
	name, request, response string
}{
	{"untouched", `function handler(e) { return e.request; }`, `function handler(e) { return e.response; }`},
	{"touched", `function touch(o) {
  Object.keys(o).forEach(function (k) { var v = o[k]; v.value = v.value; if (v.multiValue) v.multiValue = v.multiValue; o[k] = v; });
}
function handler(e) {
  var r = e.request; r.uri = r.uri; touch(r.querystring); touch(r.headers); touch(r.cookies); return r;
}`, `function touch(o) {
  Object.keys(o).forEach(function (k) { var v = o[k]; v.value = v.value; if ('attributes' in v) v.attributes = v.attributes; o[k] = v; });
}
function handler(e) {
  var r = e.response; r.statusCode = r.statusCode; touch(r.headers); touch(r.cookies); return r;
}`},
	{"json", `function handler(e) { return JSON.parse(JSON.stringify(e.request)); }`,
		`function handler(e) { return JSON.parse(JSON.stringify(e.response)); }`},
}

var (
	identityOnce    sync.Once
	identityEngine  *Engine
	identityReqProg []*Program
	identityResProg []*Program
)

func identityPrograms(t testing.TB) {
	identityOnce.Do(func() {
		identityEngine = NewEngine(Options{})
		for _, h := range identityHandlers {
			p, err := identityEngine.Compile(h.name, []byte(h.request), RuntimeJS2)
			if err != nil {
				panic(err)
			}
			q, err := identityEngine.Compile(h.name, []byte(h.response), RuntimeJS2)
			if err != nil {
				panic(err)
			}
			identityReqProg = append(identityReqProg, p)
			identityResProg = append(identityResProg, q)
		}
	})
}

// randomEvent builds a viewer-response event from a seed: ordered, unique names; values with
// any characters; consistent multiValue lists (value = first entry, as CloudFront builds them).
func randomEvent(seed []byte) *Event {
	var s [32]byte
	copy(s[:], seed)
	rng := rand.New(rand.NewChaCha8(s))
	alphabet := []string{"a", "Z", "-", "_", "0", "9", " ", "%20", "é", "日", "\"", "'", "\\", "\n", "\x00", "<", "=", "&", "__proto__", "constructor", "😀"}
	str := func(max int) string {
		var b strings.Builder
		for n := rng.IntN(max + 1); n > 0; n-- {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		return b.String()
	}
	values := func(attrs, lower bool) Values {
		var vs Values
		for n := rng.IntN(6); n > 0; n-- {
			name := str(4)
			if lower {
				name = strings.ToLower(name)
			}
			if _, dup := vs.Get(name); dup {
				continue
			}
			item := func() MultiValueItem {
				it := MultiValueItem{Value: str(6)}
				if attrs {
					it.Attributes = str(5)
				}
				return it
			}
			first := item()
			v := Value{Value: first.Value, Attributes: first.Attributes}
			if rng.IntN(3) == 0 {
				v.MultiValue = []MultiValueItem{first}
				for k := rng.IntN(3); k >= 0; k-- {
					v.MultiValue = append(v.MultiValue, item())
				}
			}
			vs = append(vs, Field{Name: name, Value: v})
		}
		return vs
	}
	req := &Request{Method: []string{"GET", "POST", "HEAD", "DELETE"}[rng.IntN(4)], URI: "/" + str(8)}
	req.Querystring = values(false, false)
	req.Headers = values(false, true)
	req.Cookies = values(false, false)
	req.RawQueryString, req.HasQuery = buildQuery(req.Querystring), len(req.Querystring) > 0
	return &Event{
		Version: "1.0",
		Context: Context{EventType: EventViewerResponse, RequestID: str(5)},
		Request: req,
		Response: &Response{
			StatusCode:        100 + rng.IntN(500),
			StatusDescription: str(5),
			Headers:           values(false, true),
			Cookies:           values(true, false),
		},
	}
}

func checkIdentity(t testing.TB, ev *Event) {
	identityPrograms(t)
	ctx := context.Background()
	for i, h := range identityHandlers {
		reqEv := *ev
		reqEv.Context.EventType, reqEv.Response = EventViewerRequest, nil
		res := identityEngine.Run(ctx, identityReqProg[i], &reqEv, Invocation{})
		if res.Err != nil {
			t.Fatalf("%s request: %v", h.name, res.Err)
		}
		if h.name == "json" {
			sortRequest(res.Request)
			sortRequest(ev.Request)
		}
		if res.Kind != KindRequest || !sameRequest(res.Request, ev.Request) {
			t.Fatalf("%s request changed\n got %+v\nwant %+v", h.name, res.Request, ev.Request)
		}
		res = identityEngine.Run(ctx, identityResProg[i], ev, Invocation{})
		if res.Err != nil {
			t.Fatalf("%s response: %v", h.name, res.Err)
		}
		if h.name == "json" {
			sortResponse(res.Response)
			sortResponse(ev.Response)
		}
		if res.Kind != KindResponse || !sameResponse(res.Response, ev.Response) {
			t.Fatalf("%s response changed\n got %+v\nwant %+v", h.name, res.Response, ev.Response)
		}
	}
}

func FuzzBridgeIdentity(f *testing.F) {
	for i := uint64(0); i < 40; i++ {
		f.Add(binary.LittleEndian.AppendUint64(nil, i))
	}
	f.Fuzz(func(t *testing.T, seed []byte) {
		checkIdentity(t, randomEvent(seed))
	})
}

func TestIdentitySpecEvent(t *testing.T) {
	ev, err := ParseEventJSON([]byte(specEvent))
	if err != nil {
		t.Fatal(err)
	}
	checkIdentity(t, ev)
}

func sortValues(vs Values) {
	sort.SliceStable(vs, func(i, j int) bool { return vs[i].Name < vs[j].Name })
}

func sortRequest(r *Request) {
	sortValues(r.Querystring)
	sortValues(r.Headers)
	sortValues(r.Cookies)
	r.RawQueryString = buildQuery(r.Querystring)
}

func sortResponse(r *Response) {
	sortValues(r.Headers)
	sortValues(r.Cookies)
}
