package kvs

import (
	"strings"
	"testing"
	"time"
)

func TestSnapshotFromImport(t *testing.T) {
	mod := time.Date(2024, 1, 2, 3, 4, 5, 678912345, time.UTC)
	sn, err := SnapshotFromImport([]byte(`{"data":[{"key":"a","value":"1"},{"key":"j","value":"{\"x\":[1,2]}"}]}`), "", mod)
	noErr(t, err)
	if v, ok := sn.Get("j"); !ok || v != `{"x":[1,2]}` {
		t.Errorf("Get(j) = %q, %v", v, ok)
	}
	if _, ok := sn.Get("missing"); ok {
		t.Error("missing key found")
	}
	m := sn.Meta()
	want := mod.Truncate(time.Millisecond)
	if m.KeyCount != 2 || !m.Created.Equal(want) || !m.LastUpdated.Equal(want) {
		t.Errorf("meta %+v", m)
	}
	if sn.KeyCount() != 2 || !sn.Created().Equal(want) || !sn.LastUpdated().Equal(want) {
		t.Errorf("reader methods: %d %v %v", sn.KeyCount(), sn.Created(), sn.LastUpdated())
	}
	if sn.ID() != "" || sn.ARN() != "" {
		t.Errorf("stand-alone snapshot has id %q arn %q", sn.ID(), sn.ARN())
	}
	arn := FormatARN(acct, "00000000-0000-4000-8000-000000000001")
	sn, err = SnapshotFromImport([]byte(`{"data":[]}`), arn, mod)
	noErr(t, err)
	if sn.ID() != "00000000-0000-4000-8000-000000000001" || sn.Meta().KeyCount != 0 {
		t.Errorf("id %q meta %+v", sn.ID(), sn.Meta())
	}
}

func TestSnapshotFromImportRejectsBadFiles(t *testing.T) {
	for name, data := range map[string]string{
		"not json":      `{"data":[`,
		"no data":       `{"items":[]}`,
		"duplicate key": `{"data":[{"key":"a","value":"1"},{"key":"a","value":"2"}]}`,
		"value too big": `{"data":[{"key":"a","value":"` + strings.Repeat("v", MaxValueBytes+1) + `"}]}`,
		"too large":     strings.Repeat(" ", MaxStoreBytes+1),
	} {
		if _, err := SnapshotFromImport([]byte(data), "", time.Now()); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
