package runtime

import (
	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/token"
)

// Stateless top levels. Each invocation re-runs the top-level code (wrap.go) so that no
// top-level state carries over (spec §10.7). For most functions that re-run only recreates
// the same function objects, about 2 µs a request. When the top level provably holds nothing
// a run could change, its bindings are made once per pooled VM and each invocation calls the
// handler made then (vmState.invoke). The rule is deliberately narrow:
//
//   - every top-level statement is a function declaration, or a var/let/const declaration
//     of names initialised to nothing, a primitive literal (`'s'`, `1`, `-1`, `true`, `null`),
//     require('<name>') of the global require (a module is made once per VM, vm.go) or a
//     key value store handle, cf.kvs() or cf.kvs('<id>') of the cloudfront module;
//     the imports are the wrapper's arguments, the same module objects on every run;
//   - a handle's name is only ever the object of a method call, `kvs.get(…)`,
//     `kvs.exists(…)` or `kvs.meta(…)`, so no code can add properties to it. Its methods read
//     the running invocation's store; what cf.kvs() itself checked when the handle was made
//     (that a store is associated, and which) is checked again before each reuse (vmState.invoke);
//   - no top-level name (import names included) is ever a write target anywhere: assigned
//     (=, +=, …), updated (++, --), destructured into or the variable of a for-in/of loop,
//     whatever scope the write is in (shadowing is not worked out: any write disqualifies);
//   - a top-level function's name is only ever called (`f(…)`, `new f(…)`) or given to
//     typeof: never read as a value, so no code can add properties to the function object.
//
// Everything else (top-level objects, arrays, expressions, statements) keeps the re-run.
// Shared built-ins and modules are guarded separately (shared.go); the per-invocation inputs
// reach the handler through the VM, not through its closure: the event is its argument,
// Date and Math.random read vmState's clock and generator (set by begin), console.log writes
// to the sink reset for each run, and cf.kvs() and the origin helpers read the running
// invocation's fields.
func statelessTopLevel(prg *ast.Program, imports []importBinding) (stateless, kvsHandles bool) {
	funcs := map[string]bool{} // top-level function names: callee only
	tl := topLevel{
		names:   map[string]bool{},
		modules: map[string]bool{},
		handles: map[string]bool{},
	}
	names := tl.names
	for _, im := range imports {
		names[im.Name] = true
		if im.Module == "cloudfront" {
			tl.modules[im.Name] = true
		}
	}
	for _, s := range prg.Body {
		switch s := s.(type) {
		case *ast.FunctionDeclaration:
			if s.Function.Name == nil {
				return false, false
			}
			funcs[s.Function.Name.Name.String()] = true
			names[s.Function.Name.Name.String()] = true
		case *ast.VariableStatement:
			if !tl.constantBindings(s.List) {
				return false, false
			}
		case *ast.LexicalDeclaration:
			if !tl.constantBindings(s.List) {
				return false, false
			}
		case *ast.EmptyStatement:
		case *ast.ExpressionStatement: // a directive such as "use strict"
			if _, ok := s.Expression.(*ast.StringLiteral); !ok {
				return false, false
			}
		default:
			return false, false
		}
	}
	if names["require"] {
		return false, false // require('x') below must be the global one
	}
	ok := true
	inPattern := map[ast.Node]bool{}          // properties of destructuring patterns
	methodCalls := map[*ast.Identifier]bool{} // handles used as kvs.get(…) and the like
	walkAST(prg, nil, func(n, parent ast.Node) bool {
		switch n := n.(type) {
		case *ast.ObjectPattern:
			for _, p := range n.Properties {
				inPattern[p] = true
			}
		case *ast.CallExpression:
			if dot, isDot := n.Callee.(*ast.DotExpression); isDot && kvsMethods[dot.Identifier.Name.String()] {
				if id, isID := dot.Left.(*ast.Identifier); isID {
					methodCalls[id] = true
				}
			}
		case *ast.Identifier:
			name := n.Name.String()
			switch {
			case funcs[name]:
				ok = onlyCalled(n, parent)
			case tl.handles[name]:
				ok = methodCalls[n] || declares(n, parent)
			case names[name]:
				ok = !writesName(n, parent, inPattern[parent])
			}
		}
		return ok
	})
	return ok, ok && len(tl.handles) > 0
}

// kvsMethods are the methods of a cf.kvs() handle (kvs.go).
var kvsMethods = map[string]bool{"get": true, "exists": true, "meta": true}

// topLevel records the top-level names statelessTopLevel has seen so far.
type topLevel struct {
	names   map[string]bool // every top-level name: never written
	modules map[string]bool // names bound to the cloudfront module
	handles map[string]bool // names bound to cf.kvs(…)
}

// constantBindings reports whether every binding declares a plain name initialised to
// nothing, a primitive literal, require('<literal>') or a key value store handle, and
// records the names.
func (tl *topLevel) constantBindings(list []*ast.Binding) bool {
	for _, b := range list {
		id, ok := b.Target.(*ast.Identifier)
		if !ok {
			return false
		}
		name := id.Name.String()
		switch {
		case tl.kvsHandle(b.Initializer):
			tl.handles[name] = true
		case constantInitializer(b.Initializer):
			if isRequireOf(b.Initializer, "cloudfront") {
				tl.modules[name] = true
			}
		default:
			return false
		}
		tl.names[name] = true
	}
	return true
}

func constantInitializer(e ast.Expression) bool {
	switch e := e.(type) {
	case nil, *ast.StringLiteral, *ast.NumberLiteral, *ast.BooleanLiteral, *ast.NullLiteral:
		return true
	case *ast.UnaryExpression: // -1, +1
		_, num := e.Operand.(*ast.NumberLiteral)
		return num && (e.Operator == token.MINUS || e.Operator == token.PLUS)
	case *ast.CallExpression:
		return isRequireOf(e, "")
	}
	return false
}

// isRequireOf reports whether e is require('<module>'), of any module when module is "".
func isRequireOf(e ast.Expression, module string) bool {
	call, ok := e.(*ast.CallExpression)
	if !ok {
		return false
	}
	callee, ok := call.Callee.(*ast.Identifier)
	if !ok || callee.Name != "require" || len(call.ArgumentList) != 1 {
		return false
	}
	lit, ok := call.ArgumentList[0].(*ast.StringLiteral)
	return ok && (module == "" || lit.Value.String() == module)
}

// kvsHandle reports whether e is cf.kvs() or cf.kvs('<literal>') on a name already bound to
// the cloudfront module.
func (tl *topLevel) kvsHandle(e ast.Expression) bool {
	call, ok := e.(*ast.CallExpression)
	if !ok || len(call.ArgumentList) > 1 {
		return false
	}
	if len(call.ArgumentList) == 1 {
		if _, lit := call.ArgumentList[0].(*ast.StringLiteral); !lit {
			return false
		}
	}
	dot, ok := call.Callee.(*ast.DotExpression)
	if !ok || dot.Identifier.Name != "kvs" {
		return false
	}
	mod, ok := dot.Left.(*ast.Identifier)
	return ok && tl.modules[mod.Name.String()]
}

// declares reports whether id is the name a binding declares (not a write: a shadowing
// declaration in an inner scope, or the top-level declaration itself).
func declares(id *ast.Identifier, parent ast.Node) bool {
	b, ok := parent.(*ast.Binding)
	return ok && b.Target == ast.BindingTarget(id)
}

// onlyCalled reports whether the name id is a callee or typeof's operand.
func onlyCalled(id *ast.Identifier, parent ast.Node) bool {
	switch p := parent.(type) {
	case *ast.CallExpression:
		return p.Callee == ast.Expression(id)
	case *ast.NewExpression:
		return p.Callee == ast.Expression(id)
	case *ast.UnaryExpression:
		return p.Operator == token.TYPEOF
	}
	return false
}

// writesName reports whether parent writes to the name id: an assignment or update target,
// a destructuring target (patternProp: parent is a property of an object pattern) or a
// for-in/of variable. A declaration in an inner scope is not a write; delete of a name is a
// syntax error in strict code.
func writesName(id *ast.Identifier, parent ast.Node, patternProp bool) bool {
	switch p := parent.(type) {
	case *ast.AssignExpression:
		return p.Left == ast.Expression(id)
	case *ast.UnaryExpression:
		return p.Operator == token.INCREMENT || p.Operator == token.DECREMENT || p.Operator == token.DELETE
	case *ast.ArrayPattern, *ast.ObjectPattern, *ast.ForIntoExpression:
		return true
	case *ast.PropertyShort: // ({n} = o); in a literal ({n}) it is read
		return patternProp
	case *ast.PropertyKeyed: // ({a: n} = o)
		return patternProp && p.Value == ast.Expression(id)
	}
	return false
}
