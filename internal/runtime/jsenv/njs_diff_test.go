package jsenv

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Differential tests: each snippet runs in goja-with-Setup and in Debian's njs 0.7.9
// (/usr/bin/njs, the reference engine of the brief) and the printed results must match,
// except for the accepted differences listed in knownDiffs.

type diffCase struct {
	name string
	only Version // 0 = both runtimes
	code string  // a JS expression
}

// harnessJS formats results identically in both engines: strings as escaped code units,
// arrays and typed arrays element-wise, objects with sorted keys, errors as name: message.
const harnessJS = `'use strict';
function __str(s) {
  for (var j = 0; j < s.length; j++) { if (s.charCodeAt(j) > 0xff) { return JSON.stringify(s); } }
  var r = '"';
  for (var i = 0; i < s.length; i++) {
    var c = s.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f && c != 34 && c != 92) { r += s.charAt(i); }
    else { var h = c.toString(16); while (h.length < 4) { h = '0' + h; } r += '\\u' + h; }
  }
  return r + '"';
}
function __fmt(v, depth) {
  if (depth > 4) { return '...'; }
  if (typeof v === 'string') { return __str(v); }
  if (typeof v === 'number') { return (v === 0 && 1 / v < 0) ? '-0' : String(v); }
  if (v === null || typeof v !== 'object' && typeof v !== 'function') { return String(v); }
  if (typeof v === 'function') { return 'function'; }
  if (Array.isArray(v)) { return '[' + v.map(function (x) { return __fmt(x, depth + 1); }).join(',') + ']'; }
  if (v instanceof ArrayBuffer) { return 'ArrayBuffer(' + v.byteLength + ')'; }
  if (ArrayBuffer.isView(v) && typeof v.length === 'number') {
    var kind = (typeof Buffer !== 'undefined' && Buffer.isBuffer(v)) ? 'Buffer' : Object.prototype.toString.call(v).slice(8, -1);
    return kind + '[' + Array.prototype.join.call(v, ',') + ']';
  }
  if (v instanceof Error) { return 'Error(' + v.name + ': ' + v.message + ')'; }
  var keys = Object.keys(v).sort();
  return '{' + keys.map(function (k) { return k + ':' + __fmt(v[k], depth + 1); }).join(',') + '}';
}
function __case(name, fn) {
  var r;
  try { r = __fmt(fn(), 0); } catch (e) {
    var msg = e && e.message;
    if (typeof __njsMessage === 'function') { msg = __njsMessage(msg); }
    r = 'THROW ' + (e && e.name) + ': ' + msg;
  }
  console.log('##' + name + '\t' + r);
}
`

// knownDiffs are accepted differences: the goja side must print want (so a change is
// noticed), whatever njs prints.
//
// A key is a case name, or "name@vN" for one runtime only.
var knownDiffs = map[string]struct{ why, want string }{
	// The spec (CloudFront) over njs 0.7.9.
	"globals.typeof":       {"njs's shell defines setTimeout; CloudFront has no timers (§10.7)", `["undefined","undefined","undefined","undefined","undefined","undefined","undefined","undefined","function","object","undefined"]`},
	"str.replaceAll":       {"replaceAll is in 2.0 (§10.3); njs added it in 0.7.10", `"a/b/c"`},
	"bytes.absent.v2":      {"2.0 removed the byte-string methods (§10.3); njs 0.7.9 still has them", `["undefined","undefined","undefined","undefined","undefined"]`},
	"crypto.digest.raw.v1": {"1.0 digest() returns a byte string (§10.4); njs 0.7.9 returns a Buffer", `["string",16]`},
	"atob.nopad":           {"HTML forgiving-base64 accepts missing padding; njs 0.7.9 returns \"\"", `["a","ab"]`},
	"td.labels":            {"WHATWG: an undefined label means utf-8; njs 0.7.9 throws", `["utf-8","utf-8"]`},
	"buf.module":           {"require('buffer').Buffer is the global Buffer (njs 0.7.9 gives a separate object)", `["function","function",["Buffer","constants","kMaxLength"]]`},
	"buf.write":            {"write returns the bytes written and skips nothing (njs 0.7.9 returns the room left and mis-decodes base64)", `[2,2,2,Buffer[65,66,67,100,255,238],1,Buffer[65,66,67,100,255,238],3,Buffer[65,66,67,100,255,238]]`},
	"buf.write.num":        {"writeFloat*/writeDouble* return offset+size as Node does; njs 0.7.9 returns undefined", `[1,2,4,6,8,Buffer[192,18,52,86,253,255,0,0],4,8,Buffer[192,18,52,86,253,255,0,0],4,8,Buffer[192,18,52,86,253,255,0,0],4,6,Buffer[192,18,52,86,253,255,0,0]]`},

	// goja engine behaviour this package does not own.
	"str.fromCharCode": {"njs counts a non-BMP character as length 1 (UTF-8 strings); JS and goja count UTF-16 units", `["hi",2,"A"]`},
	"str.unicode.case": {"goja applies full case mapping (ß→SS); njs only simple mappings", `["\u00e4\u00f6\u00fc","STRASSE"]`},
	"math":             {"njs computes cbrt as pow(x,1/3)", `[-4,-1,3,5,3,31,5.5,12,-Infinity,0]`},
	"buf.read":         {"number-to-string last digit: goja's shortest round-trip vs njs's dtoa", `[1,-1,258,513,2047,16909060,4278650373,-16316923,66051,197121,-63738,3315799033855,2.387939260590663e-38,-7.894365905312674e+303,2,2,1]`},
	"json.parse.error": {"JSON.parse error texts are goja's", `THROW SyntaxError: invalid character 'b'`},
	"crypto.not.ctor":  {"engine error text for new on a non-constructor", `THROW TypeError: Value is not a constructor`},
}

func diffCases() []diffCase { return append(append([]diffCase{}, coreCases...), moduleCases...) }

func buildHarness(cases []diffCase, v Version) (string, []string) {
	var sb strings.Builder
	sb.WriteString(harnessJS)
	var names []string
	for _, c := range cases {
		if c.only != 0 && c.only != v {
			continue
		}
		names = append(names, c.name)
		fmt.Fprintf(&sb, "__case(%q, function () { return (%s); });\n", c.name, c.code)
	}
	return sb.String(), names
}

var (
	njsDeprecation = regexp.MustCompile(`[A-Za-z0-9.]+\(\) is deprecated and will be removed in the future`)
	caseLine       = regexp.MustCompile(`^##([^\t]*)\t(.*)$`)
)

func parseCaseOutput(lines []string) map[string]string {
	res := map[string]string{}
	for _, l := range lines {
		l = njsDeprecation.ReplaceAllString(l, "")
		if m := caseLine.FindStringSubmatch(l); m != nil {
			res[m[1]] = m[2]
		}
	}
	return res
}

func runNJS(t *testing.T, src string) map[string]string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "cases.js")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	// -u: unsafe mode off (no Function constructor), as in CloudFront.
	out, err := exec.Command(njsPath, "-u", path).Output()
	if err != nil {
		t.Fatalf("njs: %v\n%s", err, out)
	}
	return parseCaseOutput(strings.Split(string(out), "\n"))
}

const njsPath = "/usr/bin/njs"

func requireNJS(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(njsPath); err != nil {
		t.Skipf("differential test needs Debian's njs at %s (apt install njs): %v", njsPath, err)
	}
}

func TestDifferentialAgainstNJS(t *testing.T) {
	requireNJS(t)
	for _, v := range []Version{V1, V2} {
		t.Run(fmt.Sprintf("v%d", v), func(t *testing.T) {
			src, names := buildHarness(diffCases(), v)
			want := runNJS(t, src)
			tv := newTestVM(t, v)
			// As the runtime package would when it reports an error (see NJSMessage).
			_ = tv.vm.Set("__njsMessage", func(m string) string { return NJSMessage(m) })
			if _, err := tv.vm.RunScript("cases.js", src); err != nil {
				t.Fatalf("goja harness: %v", err)
			}
			got := parseCaseOutput(tv.out)
			for _, name := range names {
				g, ok := got[name]
				if !ok {
					t.Errorf("%s: no goja output", name)
					continue
				}
				n, ok := want[name]
				if !ok {
					t.Errorf("%s: no njs output", name)
					continue
				}
				if kd, ok := knownDiffs[fmt.Sprintf("%s@v%d", name, v)]; ok {
					if g != kd.want {
						t.Errorf("%s (known difference: %s):\n goja: %s\n want: %s\n  njs: %s", name, kd.why, g, kd.want, n)
					}
					continue
				}
				if kd, ok := knownDiffs[name]; ok {
					if g != kd.want {
						t.Errorf("%s (known difference: %s):\n goja: %s\n want: %s\n  njs: %s", name, kd.why, g, kd.want, n)
					}
					continue
				}
				if g != n {
					t.Errorf("%s: %s\n goja: %s\n  njs: %s", name, caseCode(name), g, n)
				}
			}
		})
	}
}

func caseCode(name string) string {
	for _, c := range diffCases() {
		if c.name == name {
			return c.code
		}
	}
	return ""
}
