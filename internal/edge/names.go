package edge

import (
	"net/textproto"
	"strings"
	"sync"
	"sync/atomic"
)

// Header names change case on every request: lower case into the event, Title-Case back out
// (spec §9.5). Both conversions allocate, so the results are kept in two small maps that are
// replaced, never changed, when a name is added (readers take no lock). The maps are bounded:
// names beyond maxCachedNames are converted each time, so a viewer sending random header
// names cannot grow them.
const maxCachedNames = 2048

type nameMap struct {
	m  atomic.Pointer[map[string]string]
	mu sync.Mutex
}

func (n *nameMap) get(k string, convert func(string) string) string {
	if p := n.m.Load(); p != nil {
		if v, ok := (*p)[k]; ok {
			return v
		}
	}
	v := convert(k)
	n.mu.Lock()
	defer n.mu.Unlock()
	old := map[string]string{}
	if p := n.m.Load(); p != nil {
		old = *p
	}
	if len(old) < maxCachedNames {
		m := make(map[string]string, len(old)+1)
		for a, b := range old {
			m[a] = b
		}
		m[strings.Clone(k)] = v
		n.m.Store(&m)
	}
	return v
}

var (
	lowerNames nameMap // canonical or any case → lower case
	titleNames nameMap // lower case → Title-Case
)

// lowerName returns a header name in lower case, as the event shows it.
func lowerName(k string) string {
	for i := 0; i < len(k); i++ {
		if c := k[i]; c >= 'A' && c <= 'Z' {
			return lowerNames.get(k, strings.ToLower)
		}
	}
	return k
}

// titleCase turns an event header name into the name CloudFront writes on the wire: the first
// letter of each hyphen-separated word in upper case (spec §9.5). Event names are lower case,
// and for lower-case tokens that is exactly textproto's canonical form.
func titleCase(lower string) string {
	return titleNames.get(lower, textproto.CanonicalMIMEHeaderKey)
}
