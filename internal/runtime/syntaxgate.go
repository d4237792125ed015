package runtime

import (
	"math/big"
	"strings"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/file"
	"github.com/dop251/goja/token"
)

// The syntax gate refuses what goja parses but CloudFront's runtimes do not (spec §10.2).
// cloudfront-js-2.0 follows njs 0.7.9 (the njs release 2.0 matches); cloudfront-js-1.0
// additionally refuses what the 1.0 documentation does not list (let/const, async/await,
// numeric separators, import). Where njs has its own "not supported" text, the gate uses it;
// otherwise it names the feature. Every refusal carries line:column.
//
//	feature                                   1.0   2.0   text
//	class (declarations, expressions, super)  no    no    Token "class" not supported in this version
//	for…of, for await                         no    no    Token "of" not supported in this version
//	object spread {...o}                      no    no    Token "..." not supported in this version
//	catch without binding                     no    no    Token "{" not supported in this version
//	generators, yield                         no    no    Generator functions are not supported …
//	destructuring (any pattern)               no    no    Destructuring is not supported …
//	spread in arrays and calls                no    no    Spread syntax is not supported …
//	default parameter values                  no    no    Default parameter values are not supported …
//	optional chaining ?.                      no    no    Optional chaining is not supported …
//	logical assignment &&= ||= ??=            no    no    Logical assignment is not supported …
//	BigInt literals, new.target               no    no    … is not supported …
//	RegExp flags beyond g i m (2.0: + y)      no    no    Invalid RegExp flags "s"
//	let, const                                no    yes
//	async functions, await                    no    yes
//	numeric separators 1_000                  no    yes
//	?? (njs has it since 0.3.8), arrows, rest parameters, template literals (tagged too),
//	**, shorthand/computed/method/getter properties, labels: allowed in both.

type gate struct {
	v     version
	name  string // runtime name, for messages
	src   string
	base  int
	first *syntaxProblem
}

func checkSyntax(prg *ast.Program, src string, v version, runtimeName string) *syntaxProblem {
	g := &gate{v: v, name: runtimeName, src: src, base: prg.File.Base()}
	for _, s := range prg.Body {
		g.stmt(s)
		if g.first != nil {
			break
		}
	}
	return g.first
}

func (g *gate) refuse(at file.Idx, msg string) {
	if g.first == nil {
		g.first = &syntaxProblem{msg: msg, offset: int(at) - g.base}
	}
}

// unsupported refuses a feature njs has no dedicated text for.
func (g *gate) unsupported(at file.Idx, feature string) {
	g.refuse(at, feature+" not supported by "+g.name)
}

func (g *gate) stmts(list []ast.Statement) {
	for _, s := range list {
		g.stmt(s)
	}
}

func (g *gate) stmt(s ast.Statement) {
	if g.first != nil || s == nil {
		return
	}
	switch s := s.(type) {
	case *ast.BlockStatement:
		g.stmts(s.List)
	case *ast.CaseStatement:
		g.expr(s.Test)
		g.stmts(s.Consequent)
	case *ast.CatchStatement:
		g.catch(s)
	case *ast.DoWhileStatement:
		g.stmt(s.Body)
		g.expr(s.Test)
	case *ast.ExpressionStatement:
		g.expr(s.Expression)
	case *ast.ForInStatement:
		g.forInto(s.Into)
		g.expr(s.Source)
		g.stmt(s.Body)
	case *ast.ForOfStatement:
		g.refuse(g.ofToken(s), `Token "of" not supported in this version`)
	case *ast.ForStatement:
		switch in := s.Initializer.(type) {
		case *ast.ForLoopInitializerExpression:
			g.expr(in.Expression)
		case *ast.ForLoopInitializerVarDeclList:
			g.bindings(in.List)
		case *ast.ForLoopInitializerLexicalDecl:
			g.lexical(&in.LexicalDeclaration)
		}
		g.expr(s.Test)
		g.expr(s.Update)
		g.stmt(s.Body)
	case *ast.IfStatement:
		g.expr(s.Test)
		g.stmt(s.Consequent)
		g.stmt(s.Alternate)
	case *ast.LabelledStatement:
		g.stmt(s.Statement)
	case *ast.ReturnStatement:
		g.expr(s.Argument)
	case *ast.SwitchStatement:
		g.expr(s.Discriminant)
		for _, c := range s.Body {
			g.stmt(c)
		}
	case *ast.ThrowStatement:
		g.expr(s.Argument)
	case *ast.TryStatement:
		g.stmt(s.Body)
		if s.Catch != nil {
			g.catch(s.Catch)
		}
		if s.Finally != nil {
			g.stmt(s.Finally)
		}
	case *ast.VariableStatement:
		g.bindings(s.List)
	case *ast.LexicalDeclaration:
		g.lexical(s)
	case *ast.WhileStatement:
		g.expr(s.Test)
		g.stmt(s.Body)
	case *ast.WithStatement: // strict mode: the compiler refuses it
		g.expr(s.Object)
		g.stmt(s.Body)
	case *ast.FunctionDeclaration:
		g.function(s.Function)
	case *ast.ClassDeclaration:
		g.refuse(s.Class.Class, `Token "class" not supported in this version`)
	case *ast.BadStatement, *ast.BranchStatement, *ast.DebuggerStatement, *ast.EmptyStatement:
	}
}

func (g *gate) catch(c *ast.CatchStatement) {
	if c.Parameter == nil {
		g.refuse(c.Body.LeftBrace, `Token "{" not supported in this version`)
		return
	}
	g.target(c.Parameter)
	g.stmt(c.Body)
}

func (g *gate) lexical(d *ast.LexicalDeclaration) {
	if g.v == v1 {
		g.unsupported(d.Idx, strings.ToLower(d.Token.String())+" declarations are")
		return
	}
	g.bindings(d.List)
}

func (g *gate) bindings(list []*ast.Binding) {
	for _, b := range list {
		g.target(b.Target)
		g.expr(b.Initializer)
	}
}

// target checks a binding or assignment target: only plain names and member expressions.
func (g *gate) target(t ast.Expression) {
	switch t := t.(type) {
	case *ast.ArrayPattern:
		g.unsupported(t.LeftBracket, "Destructuring is")
	case *ast.ObjectPattern:
		g.unsupported(t.LeftBrace, "Destructuring is")
	default:
		g.expr(t)
	}
}

func (g *gate) forInto(in ast.ForInto) {
	switch in := in.(type) {
	case *ast.ForIntoVar:
		g.target(in.Binding.Target)
		g.expr(in.Binding.Initializer)
	case *ast.ForDeclaration:
		if g.v == v1 {
			kind := "let"
			if in.IsConst {
				kind = "const"
			}
			g.unsupported(in.Idx, kind+" declarations are")
			return
		}
		g.target(in.Target)
	case *ast.ForIntoExpression:
		g.target(in.Expression)
	}
}

func (g *gate) function(f *ast.FunctionLiteral) {
	if f.Generator {
		g.unsupported(f.Function, "Generator functions are")
		return
	}
	if f.Async && g.v == v1 {
		g.unsupported(f.Function, "async functions are")
		return
	}
	g.params(f.ParameterList)
	g.stmt(f.Body)
}

func (g *gate) params(p *ast.ParameterList) {
	if p == nil {
		return
	}
	for _, b := range p.List {
		g.target(b.Target)
		if b.Initializer != nil {
			g.unsupported(b.Initializer.Idx0(), "Default parameter values are")
		}
	}
	if p.Rest != nil {
		g.target(p.Rest)
	}
}

func (g *gate) exprs(list []ast.Expression) {
	for _, e := range list {
		if s, ok := e.(*ast.SpreadElement); ok {
			g.unsupported(g.spreadToken(s), "Spread syntax is")
			return
		}
		g.expr(e)
	}
}

func (g *gate) expr(e ast.Expression) {
	if g.first != nil || e == nil {
		return
	}
	switch e := e.(type) {
	case *ast.YieldExpression:
		g.unsupported(e.Yield, "Generator functions are")
	case *ast.AwaitExpression:
		if g.v == v1 {
			g.unsupported(e.Await, "await is")
			return
		}
		g.expr(e.Argument)
	case *ast.ArrayLiteral:
		g.exprs(e.Value)
	case *ast.ArrayPattern:
		g.target(e)
	case *ast.ObjectPattern:
		g.target(e)
	case *ast.AssignExpression:
		switch e.Operator {
		case token.LOGICAL_AND, token.LOGICAL_OR, token.COALESCE: // goja stores &&= as &&
			g.unsupported(e.Left.Idx1(), "Logical assignment is")
			return
		}
		g.target(e.Left)
		g.expr(e.Right)
	case *ast.BinaryExpression:
		g.expr(e.Left)
		g.expr(e.Right)
	case *ast.NumberLiteral:
		if _, ok := e.Value.(*big.Int); ok {
			g.unsupported(e.Idx, "BigInt literals are")
		} else if g.v == v1 && strings.Contains(e.Literal, "_") {
			g.unsupported(e.Idx, "Numeric separators are")
		}
	case *ast.RegExpLiteral:
		allowed := "gim"
		if g.v == v2 {
			allowed = "gimy"
		}
		for _, f := range e.Flags {
			if !strings.ContainsRune(allowed, f) {
				g.refuse(e.Idx, `Invalid RegExp flags "`+e.Flags+`"`)
				return
			}
		}
	case *ast.BracketExpression:
		g.expr(e.Left)
		g.expr(e.Member)
	case *ast.CallExpression:
		g.expr(e.Callee)
		g.exprs(e.ArgumentList)
	case *ast.ConditionalExpression:
		g.expr(e.Test)
		g.expr(e.Consequent)
		g.expr(e.Alternate)
	case *ast.DotExpression:
		g.expr(e.Left)
	case *ast.PrivateDotExpression:
		g.refuse(e.Idx0(), `Token "class" not supported in this version`)
	case *ast.OptionalChain:
		g.unsupported(g.optionalToken(e), "Optional chaining is")
	case *ast.Optional:
		g.unsupported(e.Idx0(), "Optional chaining is")
	case *ast.FunctionLiteral:
		g.function(e)
	case *ast.ClassLiteral:
		g.refuse(e.Class, `Token "class" not supported in this version`)
	case *ast.ArrowFunctionLiteral:
		if e.Async && g.v == v1 {
			g.unsupported(e.Start, "async functions are")
			return
		}
		g.params(e.ParameterList)
		switch b := e.Body.(type) {
		case *ast.BlockStatement:
			g.stmt(b)
		case *ast.ExpressionBody:
			g.expr(b.Expression)
		}
	case *ast.NewExpression:
		g.expr(e.Callee)
		g.exprs(e.ArgumentList)
	case *ast.ObjectLiteral:
		for _, p := range e.Value {
			switch p := p.(type) {
			case *ast.SpreadElement:
				g.refuse(g.spreadToken(p), `Token "..." not supported in this version`)
				return
			case *ast.PropertyKeyed:
				if p.Computed {
					g.expr(p.Key)
				}
				g.expr(p.Value)
			case *ast.PropertyShort:
				g.expr(p.Initializer)
			}
		}
	case *ast.SequenceExpression:
		g.exprs(e.Sequence)
	case *ast.TemplateLiteral:
		g.expr(e.Tag)
		g.exprs(e.Expressions)
	case *ast.SuperExpression:
		g.refuse(e.Idx, `Token "class" not supported in this version`)
	case *ast.UnaryExpression:
		g.expr(e.Operand)
	case *ast.MetaProperty:
		g.unsupported(e.Idx, e.Meta.Name.String()+"."+e.Property.Name.String()+" is")
	case *ast.Binding:
		g.target(e.Target)
		g.expr(e.Initializer)
	case *ast.SpreadElement:
		g.unsupported(g.spreadToken(e), "Spread syntax is")
	case *ast.BadExpression, *ast.BooleanLiteral, *ast.NullLiteral, *ast.StringLiteral,
		*ast.ThisExpression, *ast.Identifier:
	}
}

// ofToken finds the `of` keyword of a for…of statement, for the error position.
func (g *gate) ofToken(s *ast.ForOfStatement) file.Idx {
	from := int(s.Into.Idx1()) - g.base
	if from >= 0 && from <= len(g.src) {
		if k := strings.Index(g.src[from:], "of"); k >= 0 {
			return file.Idx(from + k + g.base)
		}
	}
	return s.For
}

// optionalToken finds the first `?.` of an optional chain, for the error position.
func (g *gate) optionalToken(e *ast.OptionalChain) file.Idx {
	from, to := int(e.Idx0())-g.base, int(e.Idx1())-g.base
	if from >= 0 && to <= len(g.src) && from <= to {
		if k := strings.Index(g.src[from:to], "?."); k >= 0 {
			return file.Idx(from + k + g.base)
		}
	}
	return e.Idx0()
}

// spreadToken finds the "..." before a spread element's expression, for the error position.
func (g *gate) spreadToken(s *ast.SpreadElement) file.Idx {
	at := int(s.Idx0()) - g.base
	if at > len(g.src) {
		return s.Idx0()
	}
	if k := strings.LastIndex(g.src[:at], "..."); k >= 0 {
		return file.Idx(k + g.base)
	}
	return s.Idx0()
}
