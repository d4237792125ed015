package jsenv

import (
	"testing"
)

func TestByteStringRegistryBounded(t *testing.T) {
	var r byteStringRegistry
	for i := 0; i < 3*maxRegistryEntries; i++ {
		r.add([]byte{0x80, byte(i), byte(i >> 8)})
	}
	if len(r.seen) > maxRegistryEntries {
		t.Fatalf("registry holds %d entries", len(r.seen))
	}
	last := 3*maxRegistryEntries - 1
	if !r.has([]byte{0x80, byte(last), byte(last >> 8)}) {
		t.Error("latest entry forgotten")
	}
	r.add(make([]byte, maxRegistryBytes+1)) // too big to remember; must not break the rest
	if r.bytes > maxRegistryBytes {
		t.Errorf("registry holds %d bytes", r.bytes)
	}
}

func TestByteStringMethods(t *testing.T) {
	tv := newTestVM(t, V1)
	for code, want := range map[string]string{
		`String.bytesFrom([0xe4, 0xbd, 0xa0]).fromUTF8()`: "你",
		`String.bytesFrom('5L2g', 'base64').fromUTF8()`:   "你",
		`String.bytesFrom('e4bda0', 'hex').fromUTF8()`:    "你",
		`'你'.toUTF8().length`:                             "3",
		`'你'.toUTF8().toUTF8().length`:                    "3", // already bytes: unchanged
		`'你'.toBytes()`:                                   "null",
		`String.bytesFrom([0xff]).fromUTF8()`:             "null",
		`String.prototype.toUTF8.call(null)`:              "THROW TypeError: String.prototype.toUTF8 called on null or undefined",
		`String.bytesFrom(5)`:                             "THROW TypeError: value must be a string or array-like object",
	} {
		if got := tv.eval(code); got != want {
			t.Errorf("%s = %q, want %q", code, got, want)
		}
	}
}
