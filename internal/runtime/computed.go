package runtime

import (
	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/token"
)

// Computed members and pooled VMs (see shared.go). `o[k]` with a key known only at run time
// may read any property, '__proto__' and 'constructor' included, so its value may be a shared
// object (`var P = ''['__pro'+'to__']; P.count = 1` changes String.prototype). A program is
// flagged unless every computed member's value provably ends up
//   - written to, deleted or updated (`h[name] = {…}`; a write below it is mutatesShared's),
//   - tested or compared (`if (o[k])`, `o[k] === x`, `!o[k]`, `typeof o[k]`, arithmetic),
//   - used as a key, in a template or in `for (x in o[k])`, or discarded,
//   - read further through a name no shared object holds an object under (`o[k].value`),
//   - the receiver of a method that returns a primitive or a new object (`parts[i].trim()`),
//   - returned by the handler (the runtime only copies the result out),
// following it through &&, ||, ?:, object and array literals, and into the parameters and
// out of the results of the program's own named functions (`return redirect(table[uri])`).
// A value kept in a variable declared once and never written is followed through every use
// of the name; o[k] in the body of `for (k in o)` over the event or an object literal is an
// own property and not followed at all (ownkeys.go). Anything else (kept in another variable,
// passed elsewhere, stored) takes the fresh-VM path.

// safeReads are property names under which no shared object (built-in, module) holds an
// object, so reading one off a possibly shared value yields a primitive or undefined.
var safeReads = map[string]bool{"value": true, "length": true}

// safeMethods return a primitive or a new object whatever built-in they belong to.
var safeMethods = map[string]bool{
	"trim": true, "trimStart": true, "trimEnd": true, "toLowerCase": true, "toUpperCase": true,
	"split": true, "indexOf": true, "lastIndexOf": true, "includes": true, "startsWith": true,
	"endsWith": true, "substring": true, "substr": true, "slice": true, "charAt": true,
	"charCodeAt": true, "codePointAt": true, "replace": true, "replaceAll": true, "padStart": true,
	"padEnd": true, "repeat": true, "join": true, "toString": true, "test": true, "match": true,
	"localeCompare": true, "normalize": true, "hasOwnProperty": true, "propertyIsEnumerable": true,
	"isPrototypeOf": true, "max": true, "min": true, "abs": true, "floor": true, "ceil": true,
	"round": true, "trunc": true, "sign": true, "pow": true, "sqrt": true,
}

func isLiteralKey(e ast.Expression) bool {
	switch e.(type) {
	case *ast.StringLiteral, *ast.NumberLiteral:
		return true
	}
	return false
}

// flow answers where values go in one program.
type flow struct {
	prg          *ast.Program
	parents      map[ast.Node]ast.Node
	funcs        map[string]*ast.FunctionLiteral // declared functions only ever called by name
	busy         map[busyKey]bool                // functions or names being followed (recursion: give up)
	names        *names                          // what the program does with each name (ownkeys.go)
	handlerParam string                          // the handler's event parameter
}

// busyKey is a function being followed into its parameters (in) or out of its result, or a
// variable being followed through its uses (name).
type busyKey struct {
	fn   *ast.FunctionLiteral
	in   bool
	name string
}

func newFlow(prg *ast.Program) *flow {
	f := &flow{prg: prg, parents: map[ast.Node]ast.Node{}, funcs: map[string]*ast.FunctionLiteral{}, busy: map[busyKey]bool{},
		names: countNames(prg), handlerParam: handlerParam(prg)}
	declared := map[string]int{}
	rebound := map[string]bool{} // names also bound or assigned, or used other than as callee
	walkAST(prg, nil, func(n, parent ast.Node) bool {
		f.parents[n] = parent
		switch n := n.(type) {
		case *ast.FunctionDeclaration:
			if n.Function.Name != nil {
				declared[n.Function.Name.Name.String()]++
				f.funcs[n.Function.Name.Name.String()] = n.Function
			}
		case *ast.FunctionLiteral:
			if _, ok := parent.(*ast.FunctionDeclaration); !ok && n.Name != nil {
				rebound[n.Name.Name.String()] = true
			}
		case *ast.Identifier:
			if c, ok := parent.(*ast.CallExpression); !ok || c.Callee != ast.Expression(n) {
				rebound[n.Name.String()] = true
			}
		}
		return true
	})
	for name := range f.funcs {
		if declared[name] != 1 || rebound[name] {
			delete(f.funcs, name)
		}
	}
	return f
}

// escapes reports whether the value of e, which may be a shared object (or, when contained,
// an object or array holding one), can be kept or handed on by the code around it.
func (f *flow) escapes(e ast.Expression, contained bool) bool {
	for {
		switch p := f.parents[e].(type) {
		case *ast.AssignExpression:
			return p.Left != e
		case *ast.TemplateLiteral:
			// In a plain template a value is made a string; a tagged one hands its values to
			// the tag as they are (and calls the tag itself).
			return p.Tag != nil
		case *ast.UnaryExpression, *ast.ExpressionStatement,
			*ast.IfStatement, *ast.WhileStatement, *ast.DoWhileStatement, *ast.ForStatement,
			*ast.SwitchStatement, *ast.CaseStatement, *ast.ForInStatement:
			// Operators (delete, ++, !, typeof, -…) yield primitives; statements test or
			// discard the value; for-in enumerates its keys (for-of is refused by the gate).
			return false
		case *ast.BinaryExpression:
			switch p.Operator {
			case token.LOGICAL_AND, token.LOGICAL_OR, token.COALESCE:
				e = p // the result may be this operand
			case token.INSTANCEOF:
				if p.Left == e {
					return true // handed to C[Symbol.hasInstance], which the program may define
				}
				return false
			default:
				return false // comparisons and arithmetic yield primitives
			}
		case *ast.ConditionalExpression:
			if p.Test == e {
				return false
			}
			e = p
		case *ast.SequenceExpression:
			if p.Sequence[len(p.Sequence)-1] != e {
				return false
			}
			e = p
		case *ast.PropertyKeyed:
			lit, ok := f.parents[p].(*ast.ObjectLiteral)
			if !ok || p.Value != e || p.Kind != ast.PropertyKindValue {
				return p.Value == e || !ok // a computed key is converted to a string
			}
			e, contained = lit, true
		case *ast.ArrayLiteral:
			e, contained = p, true
		case *ast.BracketExpression:
			if p.Member == e {
				return false // used as a key
			}
			return true // o[k][j]: any property of a possibly shared object
		case *ast.DotExpression:
			if contained {
				return true
			}
			name := p.Identifier.Name.String()
			if call, ok := f.parents[p].(*ast.CallExpression); ok && call.Callee == ast.Expression(p) {
				if name == "call" || name == "apply" { // m.call(x, …) returns what m returns
					m, ok := e.(*ast.DotExpression)
					return !ok || !safeMethods[m.Identifier.Name.String()]
				}
				return !safeMethods[name]
			}
			// A write (v.x = 1) changes the value; any other name may hold a shared object.
			return !safeReads[name] || isWriteTarget(p, f.parents[p])
		case *ast.CallExpression:
			return p.Callee == e || f.escapesIntoCall(p, e, contained)
		case *ast.ReturnStatement:
			return f.escapesFromReturn(p, contained)
		case *ast.Binding:
			return p.Initializer != e || f.escapesViaName(p, contained)
		default:
			return true
		}
	}
}

// escapesIntoCall follows an argument into the parameter of one of the program's functions.
func (f *flow) escapesIntoCall(call *ast.CallExpression, arg ast.Expression, contained bool) bool {
	callee, ok := call.Callee.(*ast.Identifier)
	if !ok {
		return true
	}
	fn := f.funcs[callee.Name.String()]
	key := busyKey{fn: fn, in: true}
	if fn == nil || f.busy[key] {
		return true
	}
	i := 0
	for i < len(call.ArgumentList) && call.ArgumentList[i] != arg {
		i++
	}
	params := fn.ParameterList
	if params.Rest != nil || i >= len(params.List) {
		return true
	}
	param, ok := params.List[i].Target.(*ast.Identifier)
	if !ok {
		return true
	}
	f.busy[key] = true
	defer delete(f.busy, key)
	name := param.Name.String()
	escaped := false
	walkAST(fn.Body, fn, func(n, parent ast.Node) bool {
		if escaped {
			return false
		}
		switch n := n.(type) {
		case *ast.Binding, *ast.FunctionLiteral, *ast.ArrowFunctionLiteral, *ast.CatchStatement:
			escaped = rebinds(n, name) // shadowed: too subtle to follow
		case *ast.Identifier:
			if n.Name == "arguments" {
				escaped = true
			} else if n.Name.String() == name && !isWriteTarget(n, parent) {
				escaped = f.escapes(n, contained)
			}
		}
		return !escaped
	})
	return escaped
}

// rebinds reports whether n declares name again.
func rebinds(n ast.Node, name string) bool {
	found := false
	switch n := n.(type) {
	case *ast.Binding:
		id, ok := n.Target.(*ast.Identifier)
		found = !ok || id.Name.String() == name
	case *ast.FunctionLiteral:
		found = n.Name != nil && n.Name.Name.String() == name
	case *ast.CatchStatement:
		id, ok := n.Parameter.(*ast.Identifier)
		found = n.Parameter != nil && (!ok || id.Name.String() == name)
	}
	return found
}

// escapesFromReturn follows a returned value to where the function's result goes: out of
// the handler (copied by the runtime) or to the call sites of one of the program's functions.
func (f *flow) escapesFromReturn(ret *ast.ReturnStatement, contained bool) bool {
	var n ast.Node = ret
	for {
		n = f.parents[n]
		switch n.(type) {
		case nil, *ast.ArrowFunctionLiteral:
			return true
		case *ast.FunctionLiteral:
		default:
			continue
		}
		break
	}
	fn := n.(*ast.FunctionLiteral)
	decl, ok := f.parents[fn].(*ast.FunctionDeclaration)
	key := busyKey{fn: fn}
	if !ok || fn.Name == nil || f.funcs[fn.Name.Name.String()] != fn || f.busy[key] {
		return true
	}
	if _, top := f.parents[decl].(*ast.Program); !top && fn.Name.Name == "handler" {
		return true // a nested "handler" is not the one the runtime calls
	}
	f.busy[key] = true
	defer delete(f.busy, key)
	escaped := false
	walkAST(f.prg, nil, func(n, _ ast.Node) bool {
		if call, ok := n.(*ast.CallExpression); ok && !escaped {
			if id, ok := call.Callee.(*ast.Identifier); ok && id.Name == fn.Name.Name {
				escaped = f.escapes(call, contained)
			}
		}
		return !escaped
	})
	return escaped
}

// isWriteTarget reports whether e is assigned to (by = or as a for-in/of head), deleted or
// updated by parent.
func isWriteTarget(e ast.Expression, parent ast.Node) bool {
	switch p := parent.(type) {
	case *ast.AssignExpression:
		return p.Left == e
	case *ast.ForIntoExpression:
		return p.Expression == e
	case *ast.UnaryExpression:
		return p.Operator == token.DELETE || p.Operator == token.INCREMENT || p.Operator == token.DECREMENT
	}
	return false
}
