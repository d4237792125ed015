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
//     too. Both hold while the program deletes nothing that could uncover a shared property
//     (a computed key, a built-in's name, Reflect.deleteProperty: through an alias, `this`
//     or a parameter, any object may be o), the loop declares its own variable, the handler
//     is never called by the program (then its parameter is the event) and literals set no
//     __proto__ (for-in walks enumerable inherited properties);
//   - a value kept in a variable: `var target = map[country]; if (target) … target + uri`.
//     When the variable is declared once, by that initializer, and never written again,
//     every use of the name is a use of the value, and the value is followed through each
//     of them (flow.escapesViaName).
//
// Both rules work on names, not scopes: a name declared or written anywhere else disqualifies
// it, so shadowing never has to be worked out.

// names counts, per name, what the program does with it.
type names struct {
	declared map[string]int // var/let/const/parameter bindings, function, catch and class names
	written  map[string]int // assignments, ++/--, for-in/of heads naming it (declarations aside)
	binding  map[string]*ast.Binding
	patterns bool // the program destructures (the syntax gate refuses it today)
	// anyDelete: the program deletes a property that may uncover a shared one (delete with a
	// computed key or a name under which built-ins hold objects, Reflect.deleteProperty):
	// through an alias, `this` or a parameter it may be one of an object the own-key rule
	// relies on, so that rule is off
	anyDelete   bool
	handlerRefs int // uses of the name handler other than its declaration (a call passes another event)
}

func countNames(prg *ast.Program) *names {
	ns := &names{declared: map[string]int{}, written: map[string]int{}, binding: map[string]*ast.Binding{}}
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
			if calleeName(n.Callee) == "deleteProperty" {
				ns.anyDelete = true
			}
		case *ast.Identifier:
			if n.Name == "handler" {
				ns.handlerRefs++
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
				ns.anyDelete = ns.anyDelete || mayUncoverShared(n.Operand)
			}
		}
		return true
	})
	return ns
}

// mayUncoverShared reports whether deleting the member e may let a read of the same key find
// an inherited shared object: its key is computed, or a name under which a built-in holds one
// (`delete o.toString`); `delete v.multiValue` cannot.
func mayUncoverShared(e ast.Expression) bool {
	name, _, ok := literalMember(e)
	if !ok {
		_, computed := e.(*ast.BracketExpression)
		return computed // delete of a name is a syntax error in strict code
	}
	return sharedNames() == nil || sharedNames()[name] || prototypeNames[name]
}

// namesAny reports whether the program uses any of the names as a member name (o.name or
// o['name']) or a plain name. Computed names (o[k]) reaching them are shared.go's concern.
func namesAny(prg *ast.Program, list ...string) bool {
	want := map[string]bool{}
	for _, n := range list {
		want[n] = true
	}
	found := false
	walkAST(prg, nil, func(n, _ ast.Node) bool {
		switch n := n.(type) {
		case *ast.DotExpression:
			found = found || want[n.Identifier.Name.String()]
		case *ast.StringLiteral:
			found = found || want[n.Value.String()]
		case *ast.Identifier:
			found = found || want[n.Name.String()]
		}
		return !found
	})
	return found
}

// literalMember returns the name and base of o.name or o['name'], or ok false for anything
// else (a computed key, not a member).
func literalMember(e ast.Expression) (name string, base ast.Expression, ok bool) {
	switch m := e.(type) {
	case *ast.DotExpression:
		return m.Identifier.Name.String(), m.Left, true
	case *ast.BracketExpression:
		if s, isString := m.Member.(*ast.StringLiteral); isString {
			return s.Value.String(), m.Left, true
		}
	}
	return "", nil, false
}

// calleeName is the member name a call goes through (x.name(…) or x['name'](…)), or "".
func calleeName(callee ast.Expression) string {
	name, _, _ := literalMember(callee)
	return name
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
	if !ok || f.names.patterns || f.names.anyDelete {
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

// forInVariable is the name a for-in declares (`for (var|let|const k in o)`), or "". A name
// declared elsewhere (`var k; … for (k in o)`) may be shared with another activation of the
// function, a recursive call for one, and change under the loop body.
func forInVariable(n *ast.ForInStatement) string {
	var t ast.Node
	switch into := n.Into.(type) {
	case *ast.ForIntoVar:
		t = into.Binding.Target
	case *ast.ForDeclaration:
		t = into.Target
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
		// disqualifies it too), and the handler is called by the runtime only.
		return f.names.declared[name] == 1 && f.names.written[name] == 0 && f.names.handlerRefs == 0
	}
	b, ok := f.names.constant(name)
	if !ok {
		return false
	}
	switch init := b.Initializer.(type) {
	case *ast.ObjectLiteral:
		return !setsPrototype(init) // for-in also walks the prototype's enumerable properties
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

// setsPrototype reports whether an object literal has a __proto__ entry.
func setsPrototype(lit *ast.ObjectLiteral) bool {
	for _, p := range lit.Value {
		switch p := p.(type) {
		case *ast.PropertyKeyed:
			if s, ok := p.Key.(*ast.StringLiteral); !ok || p.Computed || s.Value == "__proto__" {
				return true // a computed key may be "__proto__" too (then it is a plain property, but keep it simple)
			}
		case *ast.PropertyShort:
			if p.Name.Name == "__proto__" {
				return true
			}
		default:
			return true // spread and anything else
		}
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
