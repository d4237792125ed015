package kvs

import (
	"strconv"
	"strings"
	"testing"
)

func TestETagKnownVersions(t *testing.T) {
	// Literals observed on real CloudFront resources (spec §1.4).
	for v, want := range map[int64]string{1: "ETVPDKIKX0DER", 2: "E3UN6WX5RRO2AG", 3: "E1F83G8C2ARO7P"} {
		if got := controlETag(v); got != want {
			t.Errorf("controlETag(%d) = %s, want %s", v, got, want)
		}
	}
	if got := dataETag(3); got != "KV1F83G8C2ARO7P" {
		t.Errorf("dataETag(3) = %s", got)
	}
	// Beyond the literals: functions.ETagForVersion's values (one scheme for all resources).
	for v, want := range map[int64]string{4: "E0KD5KUH80FMGJ", 1000: "E1AQFV1MW231NZ"} {
		if got := controlETag(v); got != want {
			t.Errorf("controlETag(%d) = %s, want %s", v, got, want)
		}
	}
}

func TestETagDistinctAndWellFormed(t *testing.T) {
	seen := map[string]int64{}
	for v := int64(1); v < 50000; v++ {
		tag := controlETag(v)
		if prev, dup := seen[tag]; dup {
			t.Fatalf("versions %d and %d share ETag %s", prev, v, tag)
		}
		seen[tag] = v
		if v > 3 && len(tag) != 14 {
			t.Fatalf("ETag %s has length %d", tag, len(tag))
		}
		if strings.ToUpper(tag) != tag {
			t.Fatalf("ETag %s is not upper case", tag)
		}
	}
}

// The scramble is a bijection; the two 13-character literals decode to versions no
// store will ever reach, so a later version never repeats them.
func TestETagLiteralsUnreachableByScramble(t *testing.T) {
	inv := modInverse(etagMultiplier)
	for _, lit := range knownETagSuffixes[2:] {
		x, err := strconv.ParseUint(strings.ToLower(lit), 36, 64)
		if err != nil {
			t.Fatal(err)
		}
		v := (x ^ etagMask) * inv // undo the mask, then the multiplication
		if v >= 1<<63 {
			continue // not an int64 version at all
		}
		if got := etagSuffix(int64(v)); got != lit {
			t.Fatalf("inversion is wrong: suffix(%d) = %s, want %s", v, got, lit)
		}
		if v < 1<<40 {
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
