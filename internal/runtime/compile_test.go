package runtime

import (
	"errors"
	"strings"
	"testing"
)

const handlerSuffix = "\nfunction handler(event) { return event.request; }\n"

// syntaxRow is one row of spec §10.2 (plus the features the spec leaves open): code and what
// each runtime does with it. An empty want means the code compiles; otherwise want is a
// substring of the compile error.
type syntaxRow struct {
	feature    string
	code       string
	want1      string // cloudfront-js-1.0
	want2      string // cloudfront-js-2.0
	wantLineCo string // "line:col" expected in the refusal message, checked in both runtimes
}

var syntaxMatrix = []syntaxRow{
	{"var and ES5.1 statements", `var a = 1; if (a) { a++; } else { a--; } for (var i = 0; i < 2; i++) {} while (false) {} do {} while (false); switch (a) { case 1: break; default: } try { throw 1; } catch (e) {} finally {}`, "", "", ""},
	{"labels", `outer: for (var i = 0; i < 2; i++) { for (;;) { continue outer; } }`, "", "", ""},
	{"let", `let a = 1;`, "let declarations are not supported by cloudfront-js-1.0", "", "1:1"},
	{"const", `const a = 1;`, "const declarations are not supported by cloudfront-js-1.0", "", "1:1"},
	{"let in for", `for (let i = 0; i < 1; i++) {}`, "let declarations are not supported", "", "1:6"},
	{"const in for-in", `for (const k in {}) {}`, "const declarations are not supported", "", "1:6"},
	{"async function", `async function f() {}`, "async functions are not supported by cloudfront-js-1.0", "", "1:1"},
	{"async arrow", `var f = async () => 1;`, "async functions are not supported", "", "1:9"},
	{"async function as argument", `[1].forEach(async function (x) { await x; });`, "async functions are not supported", "", ""},
	{"await", `async function f() { await 1; }`, "async functions are not supported", "", ""},
	{"arrow functions", `var f = (a, b) => a + b; var g = x => { return x; };`, "", "", ""},
	{"rest parameters", `function f(a, ...rest) { return rest; }`, "", "", ""},
	{"template literals", "var s = `a ${1 + 1} ${`nested ${2}`}\nline`;", "", "", ""},
	{"tagged template", "function t(s) { return s[0]; } var x = t`a`;", "", "", ""},
	{"exponent", `var a = 2 ** 10; a **= 2;`, "", "", ""},
	{"numeric separators", `var a = 1_000;`, "Numeric separators are not supported by cloudfront-js-1.0", "", "1:9"},
	{"nullish coalescing", `var a = null ?? 1;`, "", "", ""},
	{"optional chaining", `var o = {}; var a = o?.b;`, "Optional chaining is not supported", "Optional chaining is not supported by cloudfront-js-2.0", "1:22"},
	{"optional call", `var o = {}; o.f?.();`, "Optional chaining is not supported", "Optional chaining is not supported", ""},
	{"object destructuring", `var o = {}; var {a} = o;`, "Destructuring is not supported", "Destructuring is not supported by cloudfront-js-2.0", "1:17"},
	{"array destructuring", `var [a, b] = [1, 2];`, "Destructuring is not supported", "Destructuring is not supported", "1:5"},
	{"destructuring assignment", `var a; [a] = [1];`, "Destructuring is not supported", "Destructuring is not supported", ""},
	{"destructuring parameter", `function f({a}) {}`, "Destructuring is not supported", "Destructuring is not supported", "1:12"},
	{"class declaration", `class A {}`, `Token "class" not supported in this version`, `Token "class" not supported in this version`, "1:1"},
	{"class expression", `var A = class {};`, `Token "class" not supported`, `Token "class" not supported`, "1:9"},
	{"for-of", `for (var x of [1]) {}`, `Token "of" not supported in this version`, `Token "of" not supported in this version`, "1:12"},
	{"for-await", `async function f() { for await (var x of []) {} }`, `not supported`, `Token "await" not supported in this version`, ""},
	{"generator", `function* g() { yield 1; }`, "Generator functions are not supported", "Generator functions are not supported by cloudfront-js-2.0", "1:1"},
	{"generator method", `var o = { *g() {} };`, "Generator functions are not supported", "Generator functions are not supported", ""},
	{"array spread", `var a = [...[1]];`, "Spread syntax is not supported", "Spread syntax is not supported by cloudfront-js-2.0", "1:10"},
	{"call spread", `Math.max(...[1]);`, "Spread syntax is not supported", "Spread syntax is not supported", ""},
	{"object spread", `var o = {...{}};`, `Token "..." not supported in this version`, `Token "..." not supported in this version`, ""},
	{"default parameters", `function f(a = 1) {}`, "Default parameter values are not supported", "Default parameter values are not supported by cloudfront-js-2.0", "1:16"},
	{"catch without binding", `try {} catch {}`, `Token "{" not supported in this version`, `Token "{" not supported in this version`, "1:14"},
	{"logical assignment", `var a; a ||= 1;`, "Logical assignment is not supported", "Logical assignment is not supported", ""},
	{"BigInt literal", `var a = 1n;`, "BigInt literals are not supported", "BigInt literals are not supported", "1:9"},
	{"new.target", `function F() { return new.target; }`, "new.target is not supported", "new.target is not supported", ""},
	{"regexp named groups", `var r = /(?<y>\d{4})/;`, "", "", ""},
	{"regexp sticky flag", `var r = /a/y;`, `Invalid RegExp flags "y"`, "", "1:9"},
	{"regexp dotAll flag", `var r = /a/s;`, `Invalid RegExp flags "s"`, `Invalid RegExp flags "s"`, ""},
	{"regexp unicode flag", `var r = /a/u;`, `Invalid RegExp flags "u"`, `Invalid RegExp flags "u"`, ""},
	{"shorthand, methods, getters, computed keys", `var a = 1; var o = { a, m() { return 1; }, get g() { return 2; }, ['k' + a]: 3 };`, "", "", ""},
	{"with (strict mode)", `var o = {}; with (o) {}`, "SyntaxError", "SyntaxError", ""},
	{"import in 1.0", `import crypto from 'crypto';`, "import statements are not supported by cloudfront-js-1.0", "", "1:1"},
	{"export", `export function f() {}`, "Illegal export statement", "Illegal export statement", "1:1"},
	{"export default handler", `export default handler;`, "Illegal export statement", "Illegal export statement", ""},
}

func TestSyntaxMatrix(t *testing.T) {
	for _, row := range syntaxMatrix {
		for _, rt := range []struct{ name, want string }{{RuntimeJS1, row.want1}, {RuntimeJS2, row.want2}} {
			t.Run(row.feature+"/"+rt.name, func(t *testing.T) {
				_, err := Compile("f", []byte(row.code+handlerSuffix), rt.name)
				if rt.want == "" {
					if err != nil {
						t.Fatalf("want it to compile, got %v", err)
					}
					return
				}
				var ce *CompileError
				if !errors.As(err, &ce) {
					t.Fatalf("want a CompileError containing %q, got %v", rt.want, err)
				}
				if !strings.Contains(ce.Message, rt.want) {
					t.Fatalf("error %q does not contain %q", ce.Message, rt.want)
				}
				if !strings.HasPrefix(ce.Message, "SyntaxError: ") {
					t.Errorf("error %q is not a SyntaxError", ce.Message)
				}
				if row.wantLineCo != "" && !strings.HasSuffix(ce.Message, " in "+row.wantLineCo) {
					t.Errorf("error %q does not end with the position %s", ce.Message, row.wantLineCo)
				}
			})
		}
	}
}

func TestCompileErrorsAndPositions(t *testing.T) {
	tests := []struct {
		name, runtime, code, want string
		line, col                 int
	}{
		{"unexpected token", RuntimeJS2, "function handler(e) {\n  return e.request;\n}}\n", `SyntaxError: Unexpected token "}" in 3:2`, 3, 2},
		{"unexpected identifier", RuntimeJS2, "var a b;" + handlerSuffix, `SyntaxError: Unexpected token "b" in 1:7`, 1, 7},
		{"end of input", RuntimeJS2, "function handler(e) {", `SyntaxError: Unexpected end of input in 1:22`, 1, 22},
		{"unterminated string", RuntimeJS2, "var a = \"x;" + handlerSuffix, `SyntaxError: Unterminated string ""x;" in 1:9`, 1, 9},
		{"columns count characters", RuntimeJS2, "var s = 'ééé'; class A {}" + handlerSuffix, `SyntaxError: Token "class" not supported in this version in 1:16`, 1, 16},
		{"CRLF line breaks", RuntimeJS2, "var a = 1;\r\nvar b = 2;\r\nclass A {}" + handlerSuffix, `in 3:1`, 3, 1},
		{"no handler", RuntimeJS2, "function main(e) { return e.request; }", `ReferenceError: "handler" is not defined`, 0, 0},
		{"strict mode: delete identifier", RuntimeJS2, "var a; delete a;" + handlerSuffix, `SyntaxError: Delete of an unqualified identifier in 1:15`, 1, 15},
		{"invalid assignment target", RuntimeJS2, "1 = 2;" + handlerSuffix, "ReferenceError: Invalid left-hand side in assignment", 1, 1},
		{"illegal return", RuntimeJS2, "return 1;" + handlerSuffix, "SyntaxError: Illegal return statement in 1:1", 1, 1},
		{"non-default import", RuntimeJS2, "import { createHash } from 'crypto';" + handlerSuffix, "SyntaxError: Non-default import is not supported in 1:1", 1, 1},
		{"namespace import", RuntimeJS2, "import * as c from 'crypto';" + handlerSuffix, "Non-default import is not supported", 1, 1},
		{"unknown module", RuntimeJS2, "import fs from 'fs';" + handlerSuffix, `SyntaxError: Cannot find module "fs" in 1:1`, 1, 1},
		{"import inside a function", RuntimeJS2, "function f() {\n  import c from 'crypto';\n}" + handlerSuffix, "SyntaxError: Illegal import statement in 2:3", 2, 3},
		{"import inside a block", RuntimeJS2, "if (true) { import c from 'crypto'; }" + handlerSuffix, "Illegal import statement", 1, 13},
		{"import redeclared", RuntimeJS2, "import c from 'crypto';\nvar c = 1;" + handlerSuffix, `SyntaxError: "c" has already been declared in 2:5`, 2, 5},
		{"import twice", RuntimeJS2, "import c from 'crypto';\nimport c from 'querystring';" + handlerSuffix, `"c" has already been declared`, 2, 1},
		{"cloudfront module in 1.0", RuntimeJS1, "import cf from 'cloudfront';" + handlerSuffix, "import statements are not supported by cloudfront-js-1.0", 1, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Compile("f", []byte(tc.code), tc.runtime)
			var ce *CompileError
			if !errors.As(err, &ce) {
				t.Fatalf("want CompileError, got %v", err)
			}
			if !strings.Contains(ce.Message, tc.want) {
				t.Fatalf("got %q, want it to contain %q", ce.Message, tc.want)
			}
			if ce.Line != tc.line || ce.Column != tc.col {
				t.Errorf("position %d:%d, want %d:%d", ce.Line, ce.Column, tc.line, tc.col)
			}
		})
	}
}

func TestCompileImports(t *testing.T) {
	ok := []string{
		"import cf from 'cloudfront';" + handlerSuffix,
		"// leading comment\n/* block */ import crypto from \"crypto\"\nimport qs from 'querystring';" + handlerSuffix,
		"var a = 1;\nimport crypto from 'crypto';" + handlerSuffix, // njs allows imports anywhere at top level
		"import buf from 'buffer';" + handlerSuffix,
		"import cf from 'cloudfront'; import c from 'crypto';" + handlerSuffix,
	}
	for _, code := range ok {
		if _, err := Compile("f", []byte(code), RuntimeJS2); err != nil {
			t.Errorf("%q: %v", code, err)
		}
	}
	// Blanking the import keeps later tokens on their line and column.
	_, err := Compile("f", []byte("import cf from 'cloudfront'; class A {}"+handlerSuffix), RuntimeJS2)
	var ce *CompileError
	if !errors.As(err, &ce) || ce.Line != 1 || ce.Column != 30 {
		t.Errorf("want the class error at 1:30, got %v", err)
	}
}

func TestCompileUnknownRuntime(t *testing.T) {
	_, err := Compile("f", []byte(handlerSuffix), "cloudfront-js-3.0")
	var ce *CompileError
	if err == nil || errors.As(err, &ce) {
		t.Fatalf("want a plain error for an unknown runtime, got %v", err)
	}
}

func TestCompileAcceptsHandlerForms(t *testing.T) {
	for _, tc := range []struct{ runtime, code string }{
		{RuntimeJS1, "function handler(event) { return event.request; }"},
		{RuntimeJS1, "var handler = function (event) { return event.request; };"},
		{RuntimeJS2, "async function handler(event) { return event.request; }"},
		{RuntimeJS2, "const handler = async (event) => event.request;"},
		{RuntimeJS2, "'use strict';\nfunction handler(event) { return event.request; }"},
	} {
		if _, err := Compile("f", []byte(tc.code), tc.runtime); err != nil {
			t.Errorf("%s %q: %v", tc.runtime, tc.code, err)
		}
	}
}

func TestEngineCompileCache(t *testing.T) {
	e := NewEngine(Options{CacheSize: 2})
	code := []byte(handlerSuffix)
	p1, err := e.Compile("a", code, RuntimeJS2)
	if err != nil {
		t.Fatal(err)
	}
	p2, _ := e.Compile("b", code, RuntimeJS2)
	if p1 != p2 {
		t.Error("same code and runtime compiled twice")
	}
	p3, _ := e.Compile("c", code, RuntimeJS1)
	if p3 == p1 {
		t.Error("a different runtime shared the cached program")
	}
	_, err1 := e.Compile("bad", []byte("class A {}"), RuntimeJS2)
	_, err2 := e.Compile("bad", []byte("class A {}"), RuntimeJS2)
	if err1 == nil || err1 != err2 {
		t.Errorf("compile errors are not cached: %v, %v", err1, err2)
	}
	if n := e.cache.len(); n != 2 {
		t.Errorf("cache holds %d programs, want the bound 2", n)
	}
	if p4, _ := e.Compile("a", code, RuntimeJS2); p4 == p1 {
		t.Error("evicted program still returned")
	}
	if _, err := e.Compile("x", code, "nope"); err == nil {
		t.Error("unknown runtime accepted")
	}
}
