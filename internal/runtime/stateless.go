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
//     of names initialised to nothing, a primitive literal (`'s'`, `1`, `-1`, `true`, `null`)
//     or require('<name>') of the global require (a module is made once per VM, vm.go);
//     the imports are the wrapper's arguments, the same module objects on every run;
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
func statelessTopLevel(prg *ast.Program, imports []importBinding) bool {
	funcs := map[string]bool{} // top-level function names: callee only
	names := map[string]bool{} // every top-level name: never written
	for _, im := range imports {
		names[im.Name] = true
	}
	for _, s := range prg.Body {
		switch s := s.(type) {
		case *ast.FunctionDeclaration:
			if s.Function.Name == nil {
				return false
			}
			funcs[s.Function.Name.Name.String()] = true
			names[s.Function.Name.Name.String()] = true
		case *ast.VariableStatement:
			if !constantBindings(s.List, names) {
				return false
			}
		case *ast.LexicalDeclaration:
			if !constantBindings(s.List, names) {
				return false
			}
		case *ast.EmptyStatement:
		case *ast.ExpressionStatement: // a directive such as "use strict"
			if _, ok := s.Expression.(*ast.StringLiteral); !ok {
				return false
			}
		default:
			return false
		}
	}
	if names["require"] {
		return false // require('x') below must be the global one
	}
	ok := true
	inPattern := map[ast.Node]bool{} // properties of destructuring patterns
	walkAST(prg, nil, func(n, parent ast.Node) bool {
		switch n := n.(type) {
		case *ast.ObjectPattern:
			for _, p := range n.Properties {
				inPattern[p] = true
			}
		case *ast.Identifier:
			name := n.Name.String()
			switch {
			case funcs[name]:
				ok = onlyCalled(n, parent)
			case names[name]:
				ok = !writesName(n, parent, inPattern[parent])
			}
		}
		return ok
	})
	return ok
}

// constantBindings reports whether every binding declares a plain name initialised to
// nothing, a primitive literal or require('<literal>'), and records the names.
func constantBindings(list []*ast.Binding, names map[string]bool) bool {
	for _, b := range list {
		id, ok := b.Target.(*ast.Identifier)
		if !ok || !constantInitializer(b.Initializer) {
			return false
		}
		names[id.Name.String()] = true
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
		callee, ok := e.Callee.(*ast.Identifier)
		if !ok || callee.Name != "require" || len(e.ArgumentList) != 1 {
			return false
		}
		_, lit := e.ArgumentList[0].(*ast.StringLiteral)
		return lit
	}
	return false
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
