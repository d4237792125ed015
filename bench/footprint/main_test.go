package main

import (
	"strings"
	"testing"
)

// A lackey trace cut at the marker: what comes before the first marker call is left out,
// the last segment (the program's exit) too, and each run counts distinct pages and lines.
func TestReadTrace(t *testing.T) {
	const marker = 0x401000
	trace := strings.Join([]string{
		"==123== Lackey, an example Valgrind tool",
		"I  00500000,4", // before the first run: not counted
		" L 00c00000,8",
		"I  00401000,1", // run 1
		"I  00402000,4",
		"I  00402010,4", // same code page
		" L 00c00008,8",
		" S 00c00010,8", // same line
		" M 00c01000,4", // another page
		"I  00401000,1", // run 2
		"I  00403ffc,4",
		" L 00c00040,8",
		"garbage line",
		"I  00401000,1", // exit
		"I  00404000,4",
	}, "\n")
	segs, err := readTrace(strings.NewReader(trace), marker)
	if err != nil {
		t.Fatal(err)
	}
	if len(segs) != 2 {
		t.Fatalf("%d runs, want 2", len(segs))
	}
	r1, r2 := segs[0], segs[1]
	if len(r1.code) != 1 || len(r1.data) != 2 || len(r1.lines) != 2 {
		t.Errorf("run 1: %d code pages, %d data pages, %d lines; want 1, 2, 2", len(r1.code), len(r1.data), len(r1.lines))
	}
	if r1.code[0x402] != 0x402000 {
		t.Errorf("run 1's code page keeps %x as its first instruction, want 402000", r1.code[0x402])
	}
	if len(r2.code) != 1 || len(r2.data) != 1 || len(r2.lines) != 1 {
		t.Errorf("run 2: %d code pages, %d data pages, %d lines; want 1, 1, 1", len(r2.code), len(r2.data), len(r2.lines))
	}
}

func TestReadTraceWithoutMarker(t *testing.T) {
	if _, err := readTrace(strings.NewReader("I  00402000,4\n L 00c00000,8\n"), 0x401000); err == nil {
		t.Error("a trace without the marker was accepted")
	}
}

func TestOwner(t *testing.T) {
	for sym, want := range map[string]string{
		"github.com/dop251/goja.(*vm).run":                                "goja",
		"github.com/dop251/goja/unistring.Scan":                           "goja",
		"github.com/localfront/localfront/internal/runtime.(*bridge).str": "LocalFront",
		"runtime.mallocgc":                                                "Go runtime",
		"internal/runtime/maps.(*Map).getWithoutKeySmallFastStr":          "Go runtime",
		"memeqbody":     "Go runtime",
		"strings.Index": "other",
		"":              "unknown",
	} {
		if got := owner(sym); got != want {
			t.Errorf("owner(%q) = %q, want %q", sym, got, want)
		}
	}
}

// Every function runs, as the edge runs it and (but cookie, which needs a module) bare.
func TestRunMode(t *testing.T) {
	for name := range programs {
		if err := runMode([]string{"-func", name, "-runs", "2"}); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		err := runMode([]string{"-func", name, "-runs", "2", "-bare"})
		if (err != nil) != (name == "cookie") {
			t.Errorf("%s -bare: %v", name, err)
		}
	}
	if err := runMode([]string{"-func", "nosuch"}); err == nil {
		t.Error("an unknown function was run")
	}
}
