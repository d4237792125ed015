package distributions

import "strings"

// MatchPathPattern reports whether a request path matches a cache behaviour's path
// pattern, by CloudFront's documented rules (Developer Guide, "Path pattern"):
//   - the comparison is case-sensitive;
//   - '*' matches zero or more characters, '/' included, so "images/*.jpg" also matches
//     files in subdirectories of images;
//   - '?' matches exactly one character;
//   - a leading '/' on the pattern makes no difference (and none on the path either).
//
// Characters are bytes: the edge passes the path as the viewer sent it (percent-encoded),
// which is ASCII. The query string is not part of path.
func MatchPathPattern(pattern, path string) bool {
	pattern = strings.TrimPrefix(pattern, "/")
	path = strings.TrimPrefix(path, "/")

	// Greedy matching with one backtrack point: when a later literal fails, the most
	// recent '*' absorbs one more character. Linear in practice, O(len·len) worst case.
	p, s := 0, 0
	star, starS := -1, 0
	for s < len(path) {
		switch {
		case p < len(pattern) && pattern[p] == '*': // before the literal case: a '*' in the path is not a wildcard
			star, starS = p, s
			p++
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == path[s]):
			p++
			s++
		case star >= 0:
			starS++
			p, s = star+1, starS
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// BehaviorFor returns the cache behaviour CloudFront applies to a request path: the
// first of Behaviors, in list order, whose PathPattern matches, else the default
// behaviour. The result points into c.
func (c *Config) BehaviorFor(path string) *Behavior {
	for i := range c.Behaviors {
		if MatchPathPattern(c.Behaviors[i].PathPattern, path) {
			return &c.Behaviors[i]
		}
	}
	return &c.DefaultBehavior
}
