package etag

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func TestLiterals(t *testing.T) {
	// Literals observed on real CloudFront resources (spec §1.4).
	for v, want := range map[int64]string{1: "ETVPDKIKX0DER", 2: "E3UN6WX5RRO2AG", 3: "E1F83G8C2ARO7P"} {
		if got := ForVersion(v); got != want {
			t.Errorf("ForVersion(%d) = %s, want %s", v, got, want)
		}
	}
	// Beyond the literals: pinned, since stored clients may hold these ETags.
	for v, want := range map[int64]string{4: "E0KD5KUH80FMGJ", 1000: "E1AQFV1MW231NZ"} {
		if got := ForVersion(v); got != want {
			t.Errorf("ForVersion(%d) = %s, want %s", v, got, want)
		}
	}
}

func TestShapeAndUniqueness(t *testing.T) {
	shape := regexp.MustCompile(`^E[0-9A-Z]{12,13}$`)
	seen := map[string]int64{}
	for v := int64(1); v <= 200000; v++ {
		tag := ForVersion(v)
		if !shape.MatchString(tag) || !WellFormed(tag) {
			t.Fatalf("version %d: ETag %q has the wrong shape", v, tag)
		}
		if v > 3 && len(tag) != 14 {
			t.Fatalf("ETag %s has length %d", tag, len(tag))
		}
		if prev, dup := seen[tag]; dup {
			t.Fatalf("versions %d and %d share ETag %s", prev, v, tag)
		}
		seen[tag] = v
	}
	if ForVersion(4) != ForVersion(4) {
		t.Fatal("ETag not stable")
	}
}

// The scramble is a bijection, so only the version that scrambles to a literal's digits
// could collide with it; show that version is out of reach of any real resource.
func TestLiteralsUnreachableByScramble(t *testing.T) {
	inv := modInverse(multiplier)
	for _, lit := range knownSuffixes[2:] {
		x, err := strconv.ParseUint(strings.ToLower(lit), 36, 64)
		if err != nil {
			t.Fatal(err)
		}
		v := (x ^ mask) * inv // undo the mask, then the multiplication
		if v >= 1<<63 {
			continue // not an int64 version at all
		}
		if got := Suffix(int64(v)); got != lit {
			t.Fatalf("inversion is wrong: Suffix(%d) = %s, want %s", v, got, lit)
		}
		if v < 1<<53 {
			t.Fatalf("literal %s is the scramble of the reachable version %d", lit, v)
		}
	}
}

func modInverse(a uint64) uint64 {
	x := a // Newton iteration: each step doubles the correct low bits
	for i := 0; i < 6; i++ {
		x *= 2 - a*x
	}
	if a*x != 1 {
		panic("no inverse")
	}
	return x
}

func TestWellFormed(t *testing.T) {
	for _, v := range []string{"ETVPDKIKX0DER", "KV1F83G8C2ARO7P", "A", strings.Repeat("Z", 64)} {
		if !WellFormed(v) {
			t.Errorf("WellFormed(%q) = false", v)
		}
	}
	for _, v := range []string{"", `"ETVPDKIKX0DER"`, "etvpdkikx0der", "E-1", strings.Repeat("Z", 65)} {
		if WellFormed(v) {
			t.Errorf("WellFormed(%q) = true", v)
		}
	}
}
