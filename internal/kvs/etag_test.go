package kvs

import "testing"

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
	// Beyond the literals: functions' and distributions' values (one scheme for all resources).
	for v, want := range map[int64]string{4: "E0KD5KUH80FMGJ", 1000: "E1AQFV1MW231NZ"} {
		if got := controlETag(v); got != want {
			t.Errorf("controlETag(%d) = %s, want %s", v, got, want)
		}
	}
}
