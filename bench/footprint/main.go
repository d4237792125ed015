// Command footprint measures the memory one function run touches: the distinct 4 KiB pages
// of code and of data, and the 64-byte lines of data, from the start of a run to the start of
// the next. On a machine where TLB misses are dear (docs/edge.md, "Function runs and pooled
// VMs") that count, more than the instructions, is what a run costs the edge under load, and unlike
// a timing it is the same on a busy machine as on a quiet one.
//
// It has two modes, which run.sh puts together under valgrind's lackey tool:
//
//	footprint run -func rewrite -runs 12     # the traced program: runs the function
//	footprint run -func rewrite -bare        # the same handler on a bare goja VM
//	footprint count -bin ./footprint         # reads lackey's trace on stdin, prints counts
//
// Between runs, run calls marker; count cuts the trace at each call of it.
package main

import (
	"bufio"
	"cmp"
	"context"
	"debug/elf"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	goruntime "runtime"
	"runtime/debug"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/dop251/goja"

	"github.com/localfront/localfront/internal/benchfuncs"
	"github.com/localfront/localfront/internal/runtime"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "run":
		err = runMode(os.Args[2:])
	case "count":
		err = countMode(os.Args[2:], os.Stdin, os.Stdout)
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "footprint:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: footprint run -func NAME [-runs N] [-bare] | footprint count -bin PATH [-func NAME]")
	os.Exit(2)
}

// programs are the measured functions: benchfuncs' programs and a handler that returns the
// request untouched (what a run costs by itself).
var programs = map[string]string{
	"passthrough": "function handler(event) { return event.request; }",
	"rewrite":     benchfuncs.AppendIndex,
	"headers":     benchfuncs.SecurityHeaders,
	"cookie":      benchfuncs.CookieHMAC,
}

//go:noinline
func marker(i int) int { return i + 1 }

const markerSymbol = "main.marker"

func runMode(args []string) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	name := fs.String("func", "rewrite", "function to run: passthrough, rewrite, headers or cookie")
	runs := fs.Int("runs", 12, "runs to make")
	bare := fs.Bool("bare", false, "call the handler on a bare goja VM with a plain object as its event: goja's share of a run")
	if err := fs.Parse(args); err != nil {
		return err
	}
	code, ok := programs[*name]
	if !ok {
		return fmt.Errorf("no function %q", *name)
	}
	evJSON := requestEvent
	if *name == "headers" {
		evJSON = responseEvent
	}
	var run runner = localfrontRun
	if *bare {
		if *name == "cookie" {
			return errors.New("-bare cannot run cookie: it needs the crypto module, which is LocalFront's")
		}
		run = bareRun
	}
	next, err := run(*name, code, evJSON, *runs)
	if err != nil {
		return err
	}
	// No collection during the runs: while one marks, every pointer a run overwrites is
	// shaded, which touches the pages of the objects it pointed to. That happens to a
	// small share of runs on the edge, and would make these counts differ run to run.
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	goruntime.GC()
	for i := 0; i < *runs; i++ {
		if err := next(i); err != nil {
			return fmt.Errorf("run %d: %w", i, err)
		}
	}
	marker(*runs)
	return nil
}

// A viewer request as a browser sends it, and the viewer response to it (TestFunction's
// event format).
const (
	requestEvent = `{"version": "1.0",
 "context": {"distributionDomainName": "e1abc.cloudfront.localhost", "distributionId": "E1ABC", "eventType": "viewer-request", "requestId": "footprint"},
 "viewer": {"ip": "127.0.0.1"},
 "request": {"method": "GET", "uri": "/dir/", "querystring": {},
  "headers": {"host": {"value": "e1abc.cloudfront.localhost"}, "user-agent": {"value": "footprint"}, "accept": {"value": "*/*"}},
  "cookies": {"session": {"value": "alice.0123456789abcdef"}}}}`
	responseEvent = `{"version": "1.0",
 "context": {"distributionDomainName": "e1abc.cloudfront.localhost", "distributionId": "E1ABC", "eventType": "viewer-response", "requestId": "footprint"},
 "viewer": {"ip": "127.0.0.1"},
 "request": {"method": "GET", "uri": "/dir/", "querystring": {}, "headers": {"host": {"value": "e1abc.cloudfront.localhost"}}, "cookies": {}},
 "response": {"statusCode": 200, "statusDescription": "OK",
  "headers": {"content-type": {"value": "text/plain"}, "content-length": {"value": "64"}}, "cookies": {}}}`
)

// A runner prepares the runs of a function; next(i) marks the start of run i and makes it.
type runner func(name, code, evJSON string, runs int) (next func(i int) error, err error)

// localfrontRun runs the function as the edge does: Engine.RunInto on a pooled VM.
func localfrontRun(name, code, evJSON string, _ int) (func(int) error, error) {
	ev, err := runtime.ParseEventJSON([]byte(evJSON))
	if err != nil {
		return nil, err
	}
	e := runtime.NewEngine(runtime.Options{})
	p, err := e.Compile(name, []byte(code), runtime.RuntimeJS2)
	if err != nil {
		return nil, err
	}
	var res runtime.Result
	inv := runtime.Invocation{Untimed: true} // as the edge runs functions
	return func(i int) error {
		marker(i)
		if e.RunInto(context.Background(), p, ev, inv, &res); res.Err != nil {
			return errors.New(res.Err.Message)
		}
		return nil
	}, nil
}

// bareRun calls the handler on a bare goja VM with a plain-object event, one per run, all
// made before the first run (so no run finds the allocator refilling after the last one's
// event). Nothing is read back.
func bareRun(_, code, evJSON string, runs int) (func(int) error, error) {
	vm := goja.New()
	if _, err := vm.RunString(code); err != nil {
		return nil, err
	}
	handler, ok := goja.AssertFunction(vm.Get("handler"))
	if !ok {
		return nil, errors.New("the code has no handler function")
	}
	makeEvent, err := goja.Compile("event", "("+evJSON+")", false)
	if err != nil {
		return nil, err
	}
	events := make([]goja.Value, runs)
	for i := range events {
		if events[i], err = vm.RunProgram(makeEvent); err != nil {
			return nil, err
		}
	}
	return func(i int) error {
		marker(i)
		_, err := handler(goja.Undefined(), events[i])
		return err
	}, nil
}

// segment is what one run touched.
type segment struct {
	code  map[uint64]uint64 // page → first instruction address seen on it
	data  map[uint64]bool   // page
	lines map[uint64]bool   // 64-byte line
}

func newSegment() *segment {
	return &segment{code: map[uint64]uint64{}, data: map[uint64]bool{}, lines: map[uint64]bool{}}
}

const pageShift, lineShift = 12, 6

func countMode(args []string, in io.Reader, out io.Writer) error {
	fs := flag.NewFlagSet("count", flag.ContinueOnError)
	bin := fs.String("bin", "", "the traced binary (for its symbols)")
	name := fs.String("func", "", "name to print")
	skip := fs.Int("skip", 2, "first runs left out (the first one prepares the VM)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	img, err := loadImage(*bin)
	if err != nil {
		return err
	}
	segs, err := readTrace(in, img.marker)
	if err != nil {
		return err
	}
	if len(segs) <= *skip {
		return fmt.Errorf("the trace has %d runs, not more than the %d to skip", len(segs), *skip)
	}
	segs = segs[*skip:]
	// The run with the median number of pages stands for all (an allocator refill or a lazy
	// first use may fall in one).
	sort.SliceStable(segs, func(i, j int) bool {
		return len(segs[i].code)+len(segs[i].data) < len(segs[j].code)+len(segs[j].data)
	})
	s := segs[len(segs)/2]
	fmt.Fprintf(out, "%s: %d code pages, %d data pages (%d data lines) in the median of %d runs (fewest %d, most %d pages)\n",
		*name, len(s.code), len(s.data), len(s.lines), len(segs),
		len(segs[0].code)+len(segs[0].data), len(segs[len(segs)-1].code)+len(segs[len(segs)-1].data))
	byOwner := map[string]int{}
	for _, first := range s.code {
		byOwner[owner(img.symbol(first))]++
	}
	fmt.Fprintf(out, "  code pages by owner: %s\n", tally(byOwner))
	byPlace := map[string]int{}
	for page := range s.data {
		byPlace[img.section(page<<pageShift)]++
	}
	fmt.Fprintf(out, "  data pages by place: %s\n", tally(byPlace))
	return nil
}

// readTrace cuts lackey's trace ("I  addr,size", " L addr,size", " S …", " M …") into
// segments at each fetch of the marker's first instruction.
func readTrace(in io.Reader, marker uint64) ([]*segment, error) {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64<<10), 64<<10)
	var segs []*segment
	var cur *segment
	for sc.Scan() {
		line := sc.Bytes()
		if len(line) < 4 || line[0] == '=' { // valgrind's own messages
			continue
		}
		kind := line[1]
		if line[0] == 'I' {
			kind = 'I'
		}
		addr, ok := parseAddr(line[3:])
		if !ok {
			continue
		}
		if kind == 'I' && addr == marker {
			cur = newSegment()
			segs = append(segs, cur)
			continue
		}
		if cur == nil {
			continue
		}
		switch kind {
		case 'I':
			if _, seen := cur.code[addr>>pageShift]; !seen {
				cur.code[addr>>pageShift] = addr
			}
		case 'L', 'S', 'M':
			cur.data[addr>>pageShift] = true
			cur.lines[addr>>lineShift] = true
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(segs) == 0 {
		return nil, errors.New("the marker never ran: is stdin lackey's --trace-mem output of `footprint run`?")
	}
	return segs[:len(segs)-1], nil // the last one is the program's exit
}

// parseAddr reads the hexadecimal address before the comma of " 0040a1b2,4".
func parseAddr(b []byte) (uint64, bool) {
	s := strings.TrimSpace(string(b))
	if i := strings.IndexByte(s, ','); i >= 0 {
		s = s[:i]
	}
	v, err := strconv.ParseUint(s, 16, 64)
	return v, err == nil
}

// image is the traced binary's symbols and sections.
type image struct {
	marker   uint64
	syms     []elf.Symbol // functions, by address
	sections []*elf.Section
}

func loadImage(path string) (*image, error) {
	f, err := elf.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	syms, err := f.Symbols()
	if err != nil {
		return nil, err
	}
	img := &image{}
	for _, s := range syms {
		if elf.ST_TYPE(s.Info) == elf.STT_FUNC {
			img.syms = append(img.syms, s)
		}
		if s.Name == markerSymbol {
			img.marker = s.Value
		}
	}
	if img.marker == 0 {
		return nil, fmt.Errorf("%s has no %s symbol", path, markerSymbol)
	}
	slices.SortFunc(img.syms, func(a, b elf.Symbol) int { return cmp.Compare(a.Value, b.Value) })
	for _, s := range f.Sections {
		if s.Flags&elf.SHF_ALLOC != 0 && s.Addr != 0 {
			img.sections = append(img.sections, s)
		}
	}
	return img, nil
}

// symbol names the function holding addr.
func (img *image) symbol(addr uint64) string {
	i := sort.Search(len(img.syms), func(i int) bool { return img.syms[i].Value > addr }) - 1
	if i < 0 || addr >= img.syms[i].Value+max(img.syms[i].Size, 1) {
		return ""
	}
	return img.syms[i].Name
}

// section names the binary's section holding addr; other addresses are the heap and the
// goroutine stacks (Go's arenas), or another mapping (vdso, valgrind's own).
func (img *image) section(addr uint64) string {
	for _, s := range img.sections {
		if addr >= s.Addr && addr < s.Addr+s.Size {
			return s.Name
		}
	}
	if addr >= 0x7f00_0000_0000 {
		return "other mappings"
	}
	return "heap and stacks"
}

// owner sorts a function by whose code it is.
func owner(sym string) string {
	switch {
	case sym == "":
		return "unknown"
	case strings.HasPrefix(sym, "github.com/dop251/goja"):
		return "goja"
	case strings.HasPrefix(sym, "github.com/localfront/localfront"):
		return "LocalFront"
	case strings.HasPrefix(sym, "runtime.") || strings.HasPrefix(sym, "internal/") ||
		strings.HasPrefix(sym, "sync") || !strings.Contains(sym, "."):
		return "Go runtime" // assembly helpers (memeqbody, aeshashbody) have no package
	}
	return "other"
}

// tally prints counts, largest first.
func tally(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	return strings.Join(parts, ", ")
}
