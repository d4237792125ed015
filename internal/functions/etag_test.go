package functions

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func TestETagLiterals(t *testing.T) {
	for v, want := range map[int64]string{1: "ETVPDKIKX0DER", 2: "E3UN6WX5RRO2AG", 3: "E1F83G8C2ARO7P"} {
		if got := ETagForVersion(v); got != want {
			t.Errorf("ETagForVersion(%d) = %s, want %s", v, got, want)
		}
	}
}

func TestETagShapeAndUniqueness(t *testing.T) {
	shape := regexp.MustCompile(`^E[0-9A-Z]{12,13}$`)
	seen := map[string]int64{}
	for v := int64(1); v <= 200000; v++ {
		tag := ETagForVersion(v)
		if !shape.MatchString(tag) || !validIfMatch(tag) {
			t.Fatalf("version %d: ETag %q has the wrong shape", v, tag)
		}
		if prev, dup := seen[tag]; dup {
			t.Fatalf("versions %d and %d share ETag %s", prev, v, tag)
		}
		seen[tag] = v
	}
	if ETagForVersion(4) != ETagForVersion(4) {
		t.Fatal("ETag not stable")
	}
}

// The generated ETags are a bijection of the version, so only the version that scrambles
// to a literal's digits could collide with it; show that version is out of reach.
func TestETagLiteralsUnreachableByGenerator(t *testing.T) {
	inv := uint64(etagMultiplier) // Newton's iteration for the inverse modulo 2^64
	for range 6 {
		inv *= 2 - etagMultiplier*inv
	}
	if inv*etagMultiplier != 1 {
		t.Fatal("bad inverse")
	}
	for _, lit := range []string{"E3UN6WX5RRO2AG", "E1F83G8C2ARO7P"} {
		x, err := strconv.ParseUint(strings.ToLower(lit[1:]), 36, 64)
		if err != nil {
			t.Fatal(err)
		}
		v := (x ^ etagMask) * inv
		if ETagForVersion(int64(v)) != lit && v < 1<<53 {
			t.Fatalf("version %d would produce the literal %s", v, lit)
		}
		if v < 1<<53 && v > 3 {
			t.Fatalf("literal %s is reachable at version %d", lit, v)
		}
	}
}
