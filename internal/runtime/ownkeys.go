package runtime

import (
	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/token"
)

// Two patterns of ordinary CloudFront code that the computed-member rule (computed.go) would
// otherwise send to a fresh VM (~0.5 ms a run instead of microseconds):
//
//   - own keys: `for (var k in headers) { headers[k].value = … }`. A for-in yields the keys
//     of enumerable properties, and no shared object has any (making one enumerable is itself
//     flagged), so o[k], read in the loop body while k is the loop's key, is an own property
//     of o. When o can only be the event (or an object below it, by plain names) or an object
//     literal, its own properties hold nothing shared (putting a shared object there is
//     flagged too), so the value is not shared and may go anywhere;
//     `const keys = Object.keys(o)`, read only as keys[i] and keys.length, gives own keys
//     too, while nothing deletes from o (delete or Reflect.deleteProperty);
//   - a value kept in a variable: `var target = map[country]; if (target) … target + uri`.
//     When the variable is declared once, by that initializer, and never written again,
//     every use of the name is a use of the value, and the value is followed through each
//     of them (flow.escapesViaName).
//
// Both rules work on names, not scopes: a name declared or written anywhere else disqualifies
// it, so shadowing never has to be worked out.

// names counts, per name, what the program does with it.
type names struct {
	declared map[string]int  // var/let/const/parameter bindings, function, catch and class names
	written  map[string]int  // assignments, ++/--, for-in/of heads naming it (declarations aside)
	deleted  map[string]bool // a member of it is deleted (delete o.x, delete o[k])
	binding  map[string]*ast.Binding
	patterns bool // the program destructures (the syntax gate refuses it today)
}

func countNames(prg *ast.Program) *names {
	ns := &names{declared: map[string]int{}, written: map[string]int{}, deleted: map[string]bool{}, binding: map[string]*ast.Binding{}}
	walkAST(prg, nil, func(n, parent ast.Node) bool {
		switch n := n.(type) {
		case *ast.Binding:
			if id, ok := n.Target.(*ast.Identifier); ok {
				ns.declared[id.Name.String()]++
				ns.binding[id.Name.String()] = n
			}
		case *ast.FunctionLiteral:
			if n.Name != nil {
				ns.declared[n.Name.Name.String()]++
			}
		case *ast.ClassLiteral:
			if n.Name != nil {
				ns.declared[n.Name.Name.String()]++
			}
		case *ast.CatchStatement:
			if id, ok := n.Parameter.(*ast.Identifier); ok {
				ns.declared[id.Name.String()]++
			}
		case *ast.ForDeclaration:
			if id, ok := n.Target.(*ast.Identifier); ok {
				ns.declared[id.Name.String()]++
				ns.written[id.Name.String()]++
			}
		case *ast.ForIntoVar:
			if id, ok := n.Binding.Target.(*ast.Identifier); ok {
				ns.written[id.Name.String()]++ // declared by its Binding
			}
		case *ast.ForIntoExpression:
			if id, ok := n.Expression.(*ast.Identifier); ok {
				ns.written[id.Name.String()]++
			}
		case *ast.ArrayPattern, *ast.ObjectPattern:
			ns.patterns = true
		case *ast.CallExpression:
			// Reflect.deleteProperty(o, k) deletes without the operator.
			if calleeName(n.Callee) == "deleteProperty" && len(n.ArgumentList) > 0 {
				if id, ok := n.ArgumentList[0].(*ast.Identifier); ok {
					ns.deleted[id.Name.String()] = true
				}
			}
		case *ast.AssignExpression:
			if id, ok := n.Left.(*ast.Identifier); ok {
				ns.written[id.Name.String()]++
			}
		case *ast.UnaryExpression:
			switch n.Operator {
			case token.INCREMENT, token.DECREMENT:
				if id, ok := n.Operand.(*ast.Identifier); ok {
					ns.written[id.Name.String()]++
				}
			case token.DELETE:
				if root, _, _ := memberChain(n.Operand, nil); root != nil {
					if id, ok := root.(*ast.Identifier); ok {
						ns.deleted[id.Name.String()] = true
					}
				}
			}
		}
		return true
	})
	return ns
}

// calleeName is the member name a call goes through (x.name(…) or x['name'](…)), or "".
func calleeName(callee ast.Expression) string {
	switch c := callee.(type) {
	case *ast.DotExpression:
		return c.Identifier.Name.String()
	case *ast.BracketExpression:
		if s, ok := c.Member.(*ast.StringLiteral); ok {
			return s.Value.String()
		}
	}
	return ""
}

// constant reports whether name is declared exactly once, by a var/let/const binding (or a
// parameter), and never written: its value is the binding's initializer (or argument).
func (ns *names) constant(name string) (*ast.Binding, bool) {
	b := ns.binding[name]
	return b, b != nil && ns.declared[name] == 1 && ns.written[name] == 0 && !ns.patterns
}

// handlerParam returns the name of the top-level handler's first parameter ("" if none).
func handlerParam(prg *ast.Program) string {
	for _, s := range prg.Body {
		d, ok := s.(*ast.FunctionDeclaration)
		if !ok || d.Function.Name == nil || d.Function.Name.Name != "handler" {
			continue
		}
		if list := d.Function.ParameterList.List; len(list) > 0 {
			if id, ok := list[0].Target.(*ast.Identifier); ok {
				return id.Name.String()
			}
		}
	}
	return ""
}

// ownKey reports whether b is o[k] read in the body of `for (k in o)` (the own-keys rule
// above), with o an object that holds nothing shared.
func (f *flow) ownKey(b *ast.BracketExpression) bool {
	o, ok := b.Left.(*ast.Identifier)
	if !ok || f.names.patterns || f.names.deleted[o.Name.String()] {
		return false
	}
	if kb, isBracket := b.Member.(*ast.BracketExpression); isBracket {
		return f.keysOf(kb, o.Name.String()) && f.plainObject(o.Name.String(), 0)
	}
	k, ok := b.Member.(*ast.Identifier)
	if !ok {
		return false
	}
	loop := f.enclosingForIn(b, k.Name.String(), o.Name.String())
	if loop == nil {
		return false
	}
	// k changes only as the loop's variable, and no key of o is deleted: o[k] is the own
	// property the loop is at.
	kName := k.Name.String()
	if f.names.written[kName] != 1 || f.names.declared[kName] > 1 {
		return false
	}
	return f.plainObject(o.Name.String(), 0)
}

// keysOf reports whether kb is keys[i] with `const keys = Object.keys(o)` (declared once,
// never written) and keys only ever read by index or length: an element is an own key of o,
// which keeps it while nothing deletes from o.
func (f *flow) keysOf(kb *ast.BracketExpression, o string) bool {
	keys, ok := kb.Left.(*ast.Identifier)
	if !ok {
		return false
	}
	b, ok := f.names.constant(keys.Name.String())
	if !ok {
		return false
	}
	call, ok := b.Initializer.(*ast.CallExpression)
	if !ok || len(call.ArgumentList) != 1 || calleeName(call.Callee) != "keys" {
		return false
	}
	if obj, ok := call.Callee.(*ast.DotExpression); !ok || !isName(obj.Left, "Object") || f.names.declared["Object"] > 0 {
		return false
	}
	if arg, ok := call.ArgumentList[0].(*ast.Identifier); !ok || arg.Name.String() != o {
		return false
	}
	onlyRead := true
	name := keys.Name.String()
	walkAST(f.prg, nil, func(n, parent ast.Node) bool {
		id, ok := n.(*ast.Identifier)
		if !ok || id.Name.String() != name || !onlyRead {
			return onlyRead
		}
		switch p := parent.(type) {
		case *ast.Binding:
			onlyRead = p == b
		case *ast.BracketExpression:
			onlyRead = p.Left == ast.Expression(id) && !isWriteTarget(p, f.parents[p]) && !isCallee(p, f.parents[p])
		case *ast.DotExpression:
			onlyRead = p.Identifier.Name == "length" && !isWriteTarget(p, f.parents[p])
		default:
			onlyRead = false
		}
		return onlyRead
	})
	return onlyRead
}

func isName(e ast.Expression, name string) bool {
	id, ok := e.(*ast.Identifier)
	return ok && id.Name.String() == name
}

// enclosingForIn returns the for-in statement over the name o with the variable k whose body
// holds e, with no function boundary in between (a closure may run after the loop), or nil.
func (f *flow) enclosingForIn(e ast.Node, k, o string) *ast.ForInStatement {
	child := e
	for n := f.parents[e]; n != nil; child, n = n, f.parents[n] {
		switch n := n.(type) {
		case *ast.FunctionLiteral, *ast.ArrowFunctionLiteral, *ast.ClassLiteral:
			return nil
		case *ast.ForInStatement:
			if n.Body != child {
				continue
			}
			src, ok := n.Source.(*ast.Identifier)
			if ok && src.Name.String() == o && forInVariable(n) == k {
				return n
			}
		}
	}
	return nil
}

// forInVariable is the name a for-in assigns, or "".
func forInVariable(n *ast.ForInStatement) string {
	var t ast.Node
	switch into := n.Into.(type) {
	case *ast.ForIntoVar:
		t = into.Binding.Target
	case *ast.ForDeclaration:
		t = into.Target
	case *ast.ForIntoExpression:
		t = into.Expression
	}
	if id, ok := t.(*ast.Identifier); ok {
		return id.Name.String()
	}
	return ""
}

// plainObject reports whether the name always holds the event or an object below it (by
// plain member names), or an object literal: objects whose own properties hold nothing
// shared.
func (f *flow) plainObject(name string, depth int) bool {
	if depth > 8 {
		return false
	}
	if name == f.handlerParam {
		// The handler's event: a parameter never written (any other binding of the name
		// disqualifies it too).
		return f.names.declared[name] == 1 && f.names.written[name] == 0
	}
	b, ok := f.names.constant(name)
	if !ok {
		return false
	}
	switch init := b.Initializer.(type) {
	case *ast.ObjectLiteral:
		return true
	case *ast.DotExpression:
		e := ast.Expression(init)
		for {
			d, ok := e.(*ast.DotExpression)
			if !ok {
				break
			}
			if prototypeNames[d.Identifier.Name.String()] {
				return false
			}
			e = d.Left
		}
		id, ok := e.(*ast.Identifier)
		return ok && f.plainObject(id.Name.String(), depth+1)
	}
	return false
}

// escapesViaName follows a value bound by `var v = value` through every use of v, when v is
// constant (declared once, never written). It reports true when it cannot follow.
func (f *flow) escapesViaName(b *ast.Binding, contained bool) bool {
	id, ok := b.Target.(*ast.Identifier)
	if !ok {
		return true
	}
	name := id.Name.String()
	if cb, ok := f.names.constant(name); !ok || cb != b {
		return true
	}
	key := busyKey{name: name}
	if f.busy[key] {
		return true
	}
	f.busy[key] = true
	defer delete(f.busy, key)
	escaped := false
	walkAST(f.prg, nil, func(n, parent ast.Node) bool {
		// Member names are not visited (walkAST), so every identifier named so is the variable.
		if ref, ok := n.(*ast.Identifier); ok && !escaped && ref != id && ref.Name.String() == name {
			escaped = f.escapes(ref, contained)
		}
		return !escaped
	})
	return escaped
}
