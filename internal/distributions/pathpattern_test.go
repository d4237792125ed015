package distributions

import "testing"

func TestMatchPathPattern(t *testing.T) {
	tests := []struct {
		pattern, path string
		want          bool
	}{
		// The Developer Guide's examples.
		{"*.jpg", "/logo.jpg", true},
		{"*.jpg", "/images/2024/logo.jpg", true}, // '*' crosses '/'
		{"*.jpg", "/logo.jpeg", false},
		{"*.jpg", "/LOGO.JPG", false}, // case-sensitive
		{"images/*.jpg", "/images/a.jpg", true},
		{"images/*.jpg", "/images/product1/a.jpg", true},
		{"images/*.jpg", "/img/a.jpg", false},
		{"images/*.jpg", "/images/a.gif", false},
		{"a??.jpg", "/ant.jpg", true},
		{"a??.jpg", "/abe.jpg", true},
		{"a??.jpg", "/an.jpg", false},   // '?' is exactly one character
		{"a??.jpg", "/anty.jpg", false}, // not two or more
		{"*.doc*", "/report.doc", true},
		{"*.doc*", "/report.docx", true},
		{"*.doc?", "/report.doc", false},
		{"*.doc?", "/report.docm", true},
		// A leading '/' on the pattern (or path) changes nothing.
		{"/images/*", "/images/x", true},
		{"images/*", "images/x", true},
		{"/images/*", "images/x", true},
		{"images/*", "/images", false},
		{"images/*", "/images/", true},
		// '*' alone and anchoring at both ends.
		{"*", "/", true},
		{"*", "/anything/at/all", true},
		{"/", "/", true},
		{"/", "/x", false},
		{"api", "/api", true},
		{"api", "/api/v1", false},
		{"api", "/xapi", false},
		{"api*", "/api", true},
		{"*api", "/v1/api", true},
		{"*api*", "/v1/api/users", true},
		{"*/admin/*", "/x/admin/y", true},
		{"*/admin/*", "/admin/y", false}, // the path has no '/' before "admin" once the leading one is dropped
		// Backtracking: the first '*' must give back characters.
		{"*a*b*c", "/aXbYaZbQc", true},
		{"*ab", "/aab", true},
		{"*aab", "/aaab", true},
		{"a*b*", "/acb", true},
		{"a*b", "/acbd", false},
		{"**", "/x", true},
		{"?", "/", false},
		{"?", "/x", true},
		// Literal characters the pattern may hold.
		{"file$1~.txt", "/file$1~.txt", true},
		{"a+b@c:d", "/a+b@c:d", true},
		{"a&b", "/a&b", true},
		// A '*' in the path is an ordinary character.
		{"a*", "/a*", true},
		{"a", "/*", false},
	}
	for _, tt := range tests {
		if got := MatchPathPattern(tt.pattern, tt.path); got != tt.want {
			t.Errorf("MatchPathPattern(%q, %q) = %v, want %v", tt.pattern, tt.path, got, tt.want)
		}
	}
}

func TestBehaviorForFirstMatchInListOrder(t *testing.T) {
	c := testConfig("ref")
	// The Developer Guide's example order: images/*.jpg, images/*, *.gif.
	c.Behaviors = []Behavior{
		testBehavior("images/*.jpg", "jpg"),
		testBehavior("/images/*", "images"),
		testBehavior("*.gif", "gif"),
	}
	for path, want := range map[string]string{
		"/images/a.jpg":    "jpg",
		"/images/a.gif":    "images", // matches the second and the third: the second wins
		"/other/b.gif":     "gif",
		"/index.html":      "app", // the default behaviour
		"/":                "app",
		"/IMAGES/a.jpg":    "app",
		"/images/sub/c.js": "images",
	} {
		if got := c.BehaviorFor(path).TargetOriginID; got != want {
			t.Errorf("BehaviorFor(%q) = %s, want %s", path, got, want)
		}
	}
	if c.BehaviorFor("/x") != &c.DefaultBehavior {
		t.Error("BehaviorFor must point into the config")
	}
}

func BenchmarkMatchPathPattern(b *testing.B) {
	for b.Loop() {
		MatchPathPattern("/static/*/assets/*.js", "/static/v2/build/assets/app.bundle.min.js")
	}
}

func BenchmarkBehaviorFor(b *testing.B) {
	c := testConfig("ref")
	for _, p := range []string{"/api/*", "/static/*.css", "/static/*.js", "*.png", "/admin/*", "/img/??/*", "/v1/*", "/v2/*"} {
		c.Behaviors = append(c.Behaviors, testBehavior(p, "app"))
	}
	for b.Loop() {
		c.BehaviorFor("/blog/2024/05/some-article-title/index.html")
	}
}
