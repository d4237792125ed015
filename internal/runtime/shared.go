package runtime

import (
	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/token"
)

// Pooled VMs and leaks between invocations. Every invocation re-runs the code in a fresh
// function scope (wrap.go), so top-level variables never carry over. What would carry over on
// a reused VM is a change to something shared: the global object, a built-in (Math, JSON,
// String.prototype…) or a module object. Strict mode leaves only explicit paths to those,
// and touchesShared finds them statically: a program that may take one is never run on a
// reused VM (each of its invocations gets a fresh VM, ~1 ms), every other program runs on
// pooled VMs at no extra cost per run.
//
// A program is flagged when it
//   - assigns to, deletes or updates a member of a global built-in, a module, an alias of one
//     (`var c = require('crypto'); c.x = 1`), a non-name (`f().x = 1`, `''.__proto__.x`), or
//     through a prototype, __proto__ or constructor property (`o.constructor.prototype.x`);
//   - uses a global built-in, a module or a prototype/__proto__/constructor property as a plain
//     value (`var m = Math`, `[JSON]`, `f(Math)`, `Object.assign(String.prototype, …)`), except
//     as a callee, a member base (`Object.prototype.hasOwnProperty.call(…)`), in comparisons
//     and typeof/instanceof, and String/Number/Boolean as callbacks;
//   - calls getPrototypeOf/setPrototypeOf/defineProperty/defineProperties/valueOf/
//     getOwnPropertyDescriptor(s), or an
//     array mutator (push, splice, sort…) on something reached through a shared name or a
//     prototype (`Array.prototype.push(7)`: Array.prototype is an array);
//   - uses require('m') other than as `var x = require('m')` or a member base, passes
//     String/Number/Boolean anywhere but to map/filter-style callbacks, or assigns to a
//     member of a shared object through a for-in head;
//   - assigns to a global built-in's name it does not declare (Math = …);
//   - lets the value of a computed member (`o[k]`, key not a literal) escape (computed.go):
//     the key may be '__proto__' or 'constructor' at run time (`''['__pro'+'to__']`); or
//     that of a member named like a built-in's object or method (`var t = ''.trim`), which
//     may be that shared object (sharednames.go).
// Reads and calls such as Math.max(), JSON.parse() or crypto.createHash() are not flagged.

// sharedGlobals are the globals of both runtimes that hold shared objects.
var sharedGlobals = []string{
	"globalThis", "Object", "Function", "Array", "String", "Number", "Boolean", "Symbol",
	"Math", "JSON", "Date", "RegExp", "Error", "EvalError", "RangeError", "ReferenceError",
	"SyntaxError", "TypeError", "URIError", "InternalError", "MemoryError", "Promise",
	"ArrayBuffer", "DataView", "Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array",
	"Uint16Array", "Int32Array", "Uint32Array", "Float32Array", "Float64Array", "Buffer",
	"TextEncoder", "TextDecoder", "console", "require", "Map", "Set", "WeakMap", "WeakSet",
	"Proxy", "Reflect", "BigInt", "parseInt", "parseFloat", "isNaN", "isFinite", "decodeURI",
	"decodeURIComponent", "encodeURI", "encodeURIComponent", "escape", "unescape", "atob",
	"btoa", "crypto", "njs", "process",
}

// harmlessCallbacks may be passed as callbacks to callbackMethods (arr.map(String),
// arr.filter(Boolean)).
var harmlessCallbacks = map[string]bool{"String": true, "Number": true, "Boolean": true}

var callbackMethods = map[string]bool{
	"map": true, "filter": true, "some": true, "every": true, "find": true, "findIndex": true,
	"findLast": true, "findLastIndex": true, "forEach": true, "flatMap": true,
}

// arrayMutators change the array they are called on; Array.prototype is itself an array.
var arrayMutators = map[string]bool{
	"push": true, "pop": true, "shift": true, "unshift": true, "splice": true, "sort": true,
	"reverse": true, "fill": true, "copyWithin": true,
}

var prototypeNames = map[string]bool{"prototype": true, "__proto__": true, "constructor": true}

var prototypeCalls = map[string]bool{
	"getPrototypeOf": true, "setPrototypeOf": true, "defineProperty": true, "defineProperties": true,
	"valueOf": true, // returns its receiver: Math.valueOf() is Math
	// a descriptor's value may be any property's, symbol-keyed ones included
	// (arguments[Symbol.iterator] is Array.prototype.values)
	"getOwnPropertyDescriptor": true, "getOwnPropertyDescriptors": true,
}

func touchesShared(prg *ast.Program, imports []importBinding) bool {
	roots := map[string]bool{}
	for _, g := range sharedGlobals {
		roots[g] = true
	}
	for _, im := range imports {
		roots[im.Name] = true
	}
	// First pass: names that alias a shared object (var c = require('crypto'), var m = Math.max).
	for changed := true; changed; {
		changed = false
		walkAST(prg, nil, func(n, _ ast.Node) bool {
			var name string
			var value ast.Expression
			switch n := n.(type) {
			case *ast.Binding:
				if id, ok := n.Target.(*ast.Identifier); ok {
					name, value = id.Name.String(), n.Initializer
				}
			case *ast.AssignExpression:
				if id, ok := n.Left.(*ast.Identifier); ok {
					name, value = id.Name.String(), n.Right
				}
			}
			if name != "" && !roots[name] && sharesObject(value, roots) {
				roots[name] = true
				changed = true
			}
			return true
		})
	}
	declared := map[string]bool{}
	walkAST(prg, nil, func(n, _ ast.Node) bool {
		switch n := n.(type) {
		case *ast.Binding:
			if id, ok := n.Target.(*ast.Identifier); ok {
				declared[id.Name.String()] = true
			}
		case *ast.FunctionLiteral:
			if n.Name != nil {
				declared[n.Name.Name.String()] = true
			}
		case *ast.CatchStatement:
			if id, ok := n.Parameter.(*ast.Identifier); ok {
				declared[id.Name.String()] = true
			}
		}
		return true
	})
	builtin := map[string]bool{}
	for _, g := range sharedGlobals {
		builtin[g] = true
	}
	fl := newFlow(prg)
	flagged := false
	walkAST(prg, nil, func(n, parent ast.Node) bool {
		if flagged {
			return false
		}
		switch n := n.(type) {
		case *ast.DotExpression:
			name := n.Identifier.Name.String()
			switch {
			case prototypeNames[name]:
				flagged = isValueUse(n, parent)
			case (sharedNames() == nil || sharedNames()[name]) && !isCallee(n, parent):
				// ''.trim, ({}).hasOwnProperty: a built-in's method is itself shared.
				flagged = fl.escapes(n, false)
			}
		case *ast.BracketExpression:
			if s, ok := n.Member.(*ast.StringLiteral); ok && prototypeNames[s.Value.String()] && isValueUse(n, parent) {
				flagged = true
			} else if !isLiteralKey(n.Member) && !fl.ownKey(n) && fl.escapes(n, false) {
				flagged = true
			}
		case *ast.CallExpression:
			if name, base, ok := literalMember(n.Callee); ok { // o.f(…), Object['getPrototypeOf'](…)
				flagged = prototypeCalls[name] || arrayMutators[name] && sharesObject(base, roots)
			} else if c, ok := n.Callee.(*ast.Identifier); ok && c.Name == "require" && !declared["require"] {
				// A module object is held only by `var m = require('m')` (a root from then on)
				// or used on the spot (`require('m').f()`); kept anywhere else it is not followed.
				flagged = !requireUsedInPlace(n, parent)
			}
		case *ast.ForIntoExpression: // for (o.x in …) assigns o.x
			if id, ok := n.Expression.(*ast.Identifier); ok {
				flagged = builtin[id.Name.String()] && !declared[id.Name.String()]
			} else {
				flagged = mutatesShared(n.Expression, roots, fl)
			}
		case *ast.AssignExpression:
			if id, ok := n.Left.(*ast.Identifier); ok {
				// Math = …: strict mode allows replacing a global built-in.
				flagged = builtin[id.Name.String()] && !declared[id.Name.String()]
			} else if mutatesShared(n.Left, roots, fl) {
				flagged = true
			}
		case *ast.UnaryExpression:
			switch n.Operator {
			case token.DELETE, token.INCREMENT, token.DECREMENT:
				if !isIdentifier(n.Operand) && mutatesShared(n.Operand, roots, fl) {
					flagged = true
				}
			}
		case *ast.Identifier:
			if roots[n.Name.String()] && isValueUse(n, parent) {
				flagged = true
			}
		}
		return !flagged
	})
	return flagged
}

// requireUsedInPlace reports whether the require call is a binding's initializer or the base
// of a member (`require('crypto').createHash(…)`).
func requireUsedInPlace(call *ast.CallExpression, parent ast.Node) bool {
	switch p := parent.(type) {
	case *ast.Binding:
		return p.Initializer == ast.Expression(call)
	case *ast.DotExpression:
		return p.Left == ast.Expression(call)
	case *ast.BracketExpression:
		return p.Left == ast.Expression(call)
	}
	return false
}

// isCallee reports whether e is called by parent (a method call: x.trim()).
func isCallee(e ast.Expression, parent ast.Node) bool {
	c, ok := parent.(*ast.CallExpression)
	return ok && c.Callee == e
}

func isIdentifier(e ast.Expression) bool {
	_, ok := e.(*ast.Identifier)
	return ok
}

// sharesObject reports whether evaluating e yields a shared object or a member of one (or,
// for a method's receiver, whether the method may change a shared object).
func sharesObject(e ast.Expression, roots map[string]bool) bool {
	root, viaPrototype, _ := memberChain(e, nil)
	if viaPrototype {
		return true
	}
	switch x := root.(type) {
	case *ast.Identifier:
		return roots[x.Name.String()]
	case *ast.CallExpression:
		id, ok := x.Callee.(*ast.Identifier)
		return ok && id.Name == "require"
	default:
		return false
	}
}

// mutatesShared reports whether writing to the member expression target may change a shared
// object: its chain starts at a shared name or at something other than a name or `this`, or
// goes through a prototype, __proto__ or constructor property, or through a computed member
// below the written one (`o[k].x = 1`, `o[k][j] = 1`: o[k] may be a prototype).
func mutatesShared(target ast.Expression, roots map[string]bool, fl *flow) bool {
	root, viaPrototype, computedBelow := memberChain(target, fl.ownKey)
	if viaPrototype || computedBelow {
		return true
	}
	switch x := root.(type) {
	case *ast.Identifier:
		return roots[x.Name.String()]
	case *ast.ThisExpression:
		return false
	default:
		return true
	}
}

// memberChain follows a member chain (o.a[k].b) from e down to the expression it starts
// at, the root. viaPrototype reports a prototype, __proto__ or constructor property on the
// way; computedBelow a computed member with a non-literal key other than e itself, unless
// own (when given) says it reads an own property holding nothing shared.
func memberChain(e ast.Expression, own func(*ast.BracketExpression) bool) (root ast.Expression, viaPrototype, computedBelow bool) {
	for outermost := true; ; outermost = false {
		switch x := e.(type) {
		case *ast.DotExpression:
			viaPrototype = viaPrototype || prototypeNames[x.Identifier.Name.String()]
			e = x.Left
		case *ast.BracketExpression:
			viaPrototype = viaPrototype || isPrototypeMember(x)
			computedBelow = computedBelow || !outermost && !isLiteralKey(x.Member) && (own == nil || !own(x))
			e = x.Left
		default:
			return e, viaPrototype, computedBelow
		}
	}
}

func isPrototypeMember(x *ast.BracketExpression) bool {
	s, ok := x.Member.(*ast.StringLiteral)
	return ok && prototypeNames[s.Value.String()]
}

// isValueUse reports whether the expression id (a name or a member expression) is used as a
// plain value: not as a callee, a member base, a declaration, an assignment target, or an
// operand of a comparison or of typeof.
func isValueUse(id ast.Expression, parent ast.Node) bool {
	switch p := parent.(type) {
	case *ast.DotExpression:
		return p.Left != ast.Expression(id)
	case *ast.BracketExpression:
		return p.Left != ast.Expression(id)
	case *ast.CallExpression:
		if p.Callee == ast.Expression(id) {
			return false
		}
		// arr.map(String), arr.filter(Boolean): the callback is only called. Anywhere else
		// (Object.assign(String, …), f(String)) the constructor may be changed.
		name, _ := id.(*ast.Identifier)
		return name == nil || !harmlessCallbacks[name.Name.String()] || !callbackMethods[calleeName(p.Callee)]
	case *ast.NewExpression:
		return p.Callee != ast.Expression(id)
	case *ast.UnaryExpression:
		return p.Operator != token.TYPEOF
	case *ast.BinaryExpression: // comparisons, in: nothing is changed
		// &&, || and ?? yield an operand: `x || Math` is Math. `x instanceof C` hands x to
		// C[Symbol.hasInstance], which the program may have defined.
		return p.Operator == token.LOGICAL_AND || p.Operator == token.LOGICAL_OR || p.Operator == token.COALESCE ||
			p.Operator == token.INSTANCEOF && p.Left == id
	case *ast.Binding:
		return p.Target != id
	case *ast.AssignExpression:
		return p.Left != ast.Expression(id)
	case *ast.PropertyKeyed:
		return p.Value == ast.Expression(id) || (p.Computed && p.Key == ast.Expression(id))
	case *ast.ParameterList, *ast.LabelledStatement, *ast.BranchStatement, *ast.CatchStatement:
		return false
	}
	return true
}
