package runtime

import (
	"errors"
	"fmt"
	"strings"

	"github.com/dop251/goja"
	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/parser"
)

// Runtime names (FunctionConfig.Runtime).
const (
	RuntimeJS1 = "cloudfront-js-1.0"
	RuntimeJS2 = "cloudfront-js-2.0"
)

// Program is a function's code compiled for one runtime. It is immutable and safe for
// concurrent use; running it needs an Engine.
type Program struct {
	Name    string
	Runtime string

	version version
	code    *goja.Program // evaluates to the wrapper function (wrap.go)
	imports []importBinding
	shared  bool // may change shared objects: never run on a reused VM (shared.go)
	// stateless: the top level holds nothing a run could change, so a pooled VM makes its
	// bindings once and reuses them (stateless.go)
	stateless bool
	// kvsHandles: a stateless program whose top level holds cf.kvs() handles, which are
	// reused only while the invocation's store is the one they were made for
	kvsHandles bool
	// mayFreeze: the program names freeze, seal or preventExtensions, so objects it gets
	// may stop being extensible (kvs.go checks kept promises for it)
	mayFreeze bool
}

// CompileError is a function's code that CloudFront would refuse to run: a syntax error, a
// feature the runtime lacks, or no handler. Message is the njs-style text CloudFront shows
// after "…could not run. ", e.g. `SyntaxError: Unexpected token "}" in 3:1`.
type CompileError struct {
	Message      string
	Line, Column int // 1-based; 0 when the error has no position
}

func (e *CompileError) Error() string { return e.Message }

// maxImports bounds the parse-and-retry loop that takes import statements out of the code.
const maxImports = 32

// Compile parses code, applies the runtime's syntax gate (syntaxgate.go) and compiles it.
// Problems in the code are returned as *CompileError; an unknown runtime name is a plain error.
// Compile does not cache: Engine.Compile does.
func Compile(name string, code []byte, runtimeName string) (*Program, error) {
	v, err := versionOf(runtimeName)
	if err != nil {
		return nil, err
	}
	src := string(code)
	li := newLineIndex(src)
	fail := func(p *syntaxProblem, kind string) (*Program, error) {
		line, col := li.position(p.offset)
		return nil, &CompileError{
			Message: fmt.Sprintf("%s: %s in %d:%d", kind, p.msg, line, col),
			Line:    line, Column: col,
		}
	}
	importRefused := &syntaxProblem{msg: "import statements are not supported by " + runtimeName}

	imports, prob := leadingImports(src)
	if prob != nil {
		return fail(prob, "SyntaxError")
	}
	if v == v1 && len(imports) > 0 {
		importRefused.offset = imports[0].start
		return fail(importRefused, "SyntaxError")
	}
	buf := []byte(src)
	for _, im := range imports {
		blankRange(buf, im.start, im.end)
	}

	var prg *ast.Program
	for attempt := 0; ; attempt++ {
		var perr error
		prg, perr = parser.ParseFile(nil, name, string(buf), 0, parser.WithDisableSourceMaps)
		if perr == nil {
			break
		}
		pe := firstParseError(perr)
		if pe == nil {
			return nil, &CompileError{Message: "SyntaxError: " + perr.Error()}
		}
		off := li.offset(pe.Position.Line, pe.Position.Column)
		switch {
		case wordAt(src, off, "export"):
			return fail(&syntaxProblem{msg: "Illegal export statement", offset: off}, "SyntaxError")
		case wordAt(src, off, "import") && attempt < maxImports:
			if v == v1 {
				importRefused.offset = off
				return fail(importRefused, "SyntaxError")
			}
			b, prob := parseImportAt(string(buf), off)
			if prob != nil {
				return fail(prob, "SyntaxError")
			}
			imports = append(imports, b)
			blankRange(buf, b.start, b.end)
		default:
			kind, msg := translateParseError(pe.Message, src, off)
			return fail(&syntaxProblem{msg: msg, offset: off}, kind)
		}
	}

	if prob := checkSyntax(prg, src, v, runtimeName); prob != nil {
		return fail(prob, "SyntaxError")
	}
	if prob := checkImportPlacement(prg, imports); prob != nil {
		return fail(prob, "SyntaxError")
	}
	if !declaresHandler(prg) {
		return nil, &CompileError{Message: `ReferenceError: "handler" is not defined`}
	}

	compiled, err := goja.CompileAST(wrapProgram(prg, src, imports), true)
	if err != nil {
		var se *goja.CompilerSyntaxError
		var re *goja.CompilerReferenceError
		switch {
		case errors.As(err, &se):
			return fail(&syntaxProblem{msg: translateCompilerMessage(se.Message), offset: se.Offset}, "SyntaxError")
		case errors.As(err, &re):
			return fail(&syntaxProblem{msg: re.Message, offset: re.Offset}, "ReferenceError")
		}
		return nil, &CompileError{Message: "SyntaxError: " + err.Error()}
	}
	stateless, kvsHandles := statelessTopLevel(prg, imports)
	return &Program{
		Name: name, Runtime: runtimeName, version: v, code: compiled, imports: imports,
		shared: touchesShared(prg, imports), stateless: stateless, kvsHandles: kvsHandles,
		mayFreeze: namesAny(prg, "freeze", "seal", "preventExtensions"),
	}, nil
}

func versionOf(runtimeName string) (version, error) {
	switch runtimeName {
	case RuntimeJS1:
		return v1, nil
	case RuntimeJS2:
		return v2, nil
	}
	return 0, fmt.Errorf("runtime: unknown runtime %q (want %s or %s)", runtimeName, RuntimeJS1, RuntimeJS2)
}

func firstParseError(err error) *parser.Error {
	var list parser.ErrorList
	if errors.As(err, &list) && len(list) > 0 {
		return list[0]
	}
	var one *parser.Error
	if errors.As(err, &one) {
		return one
	}
	return nil
}

// translateParseError turns goja's parser messages into njs's texts (checked against njs 0.7.9).
func translateParseError(msg, src string, off int) (kind, text string) {
	switch {
	case msg == "Unexpected end of input":
		return "SyntaxError", msg
	case msg == "Invalid left-hand side in assignment":
		return "ReferenceError", msg
	case strings.HasPrefix(msg, "Unexpected token") || msg == "Unexpected identifier" ||
		msg == "Unexpected number" || msg == "Unexpected string" || msg == "Unexpected reserved word" ||
		msg == "Unexpected strict mode reserved word":
		if off < len(src) && (src[off] == '"' || src[off] == '\'') {
			lit := src[off:]
			if nl := strings.IndexAny(lit, "\n\r"); nl >= 0 {
				lit = lit[:nl]
			}
			if !strings.ContainsRune(lit[1:], rune(src[off])) {
				return "SyntaxError", `Unterminated string "` + lit + `"`
			}
			return "SyntaxError", `Unexpected token "` + lit[:1+strings.IndexByte(lit[1:], src[off])+1] + `"`
		}
		tok := tokenAt(src, off)
		if tok == "" {
			return "SyntaxError", "Unexpected end of input"
		}
		if tok == "await" && strings.HasSuffix(strings.TrimRight(src[:off], " \t\r\n"), "for") {
			return "SyntaxError", `Token "await" not supported in this version` // for await (…)
		}
		return "SyntaxError", `Unexpected token "` + tok + `"`
	}
	return "SyntaxError", msg
}

// translateCompilerMessage maps goja's strict-mode and early errors to njs's texts.
func translateCompilerMessage(msg string) string {
	switch msg {
	case "Delete of an unqualified identifier in strict mode":
		return "Delete of an unqualified identifier"
	}
	return msg
}

// checkImportPlacement refuses import statements that are not top-level statements, and
// imported names that a top-level declaration redeclares (njs's texts).
func checkImportPlacement(prg *ast.Program, imports []importBinding) *syntaxProblem {
	base := prg.File.Base()
	for _, im := range imports {
		for _, s := range prg.Body {
			from, to := int(s.Idx0())-base, int(s.Idx1())-base
			if im.start > from && im.start < to {
				return &syntaxProblem{msg: "Illegal import statement", offset: im.start}
			}
		}
	}
	declared := map[string]int{}
	for i, im := range imports {
		if _, dup := declared[im.Name]; dup {
			return &syntaxProblem{msg: `"` + im.Name + `" has already been declared`, offset: im.start}
		}
		declared[im.Name] = i
	}
	if len(imports) == 0 {
		return nil
	}
	for _, d := range topLevelNames(prg) {
		if _, ok := declared[d.Name.String()]; ok {
			return &syntaxProblem{msg: `"` + d.Name.String() + `" has already been declared`, offset: int(d.Idx) - base}
		}
	}
	return nil
}

// topLevelNames lists the names the program declares at top level.
func topLevelNames(prg *ast.Program) []*ast.Identifier {
	var out []*ast.Identifier
	add := func(list []*ast.Binding) {
		for _, b := range list {
			if id, ok := b.Target.(*ast.Identifier); ok {
				out = append(out, id)
			}
		}
	}
	for _, s := range prg.Body {
		switch s := s.(type) {
		case *ast.FunctionDeclaration:
			if s.Function.Name != nil {
				out = append(out, s.Function.Name)
			}
		case *ast.VariableStatement:
			add(s.List)
		case *ast.LexicalDeclaration:
			add(s.List)
		}
	}
	for _, d := range prg.DeclarationList { // var declarations nested in blocks
		add(d.List)
	}
	return out
}

// declaresHandler reports whether the code declares `handler` at top level (a function
// declaration, or a variable holding a function; the latter is checked when it runs).
func declaresHandler(prg *ast.Program) bool {
	for _, id := range topLevelNames(prg) {
		if id.Name == "handler" {
			return true
		}
	}
	return false
}
