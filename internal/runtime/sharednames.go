package runtime

import (
	"strings"
	"sync"

	"github.com/dop251/goja"
)

// sharedNames are the property names under which some shared object (a built-in, a
// prototype, a module, console) holds an object or a function in either runtime. Reading one
// of them off any value (`s.trim`, `o.hasOwnProperty`, `console.log`) may yield a shared
// object, so touchesShared follows such reads like computed members. The set is read once
// per process from a VM set up like the runtimes', so it follows the environment; nil if
// that fails, and then every name counts (TestSharedNames catches it).
var sharedNames = sync.OnceValue(func() map[string]bool {
	// console and require are installed per VM (vm.go); cf.kvs() handles share a prototype
	// with get, exists and meta (kvs.go), and event.request one with rawQueryString (2.0),
	// which the walker cannot reach from the globals.
	names := map[string]bool{"console": true, "log": true, "require": true, "get": true, "exists": true, "meta": true, "rawQueryString": true}
	for _, v := range []version{v1, v2} {
		list, err := listSharedNames(v)
		if err != nil {
			return nil
		}
		for _, n := range list {
			names[n] = true
		}
	}
	return names
})

func listSharedNames(v version) ([]string, error) {
	vm := goja.New()
	if err := setupEnvironment(vm, v, EnvLimits{}); err != nil {
		return nil, err
	}
	if err := installJSONParse(vm); err != nil {
		return nil, err
	}
	st := &vmState{vm: vm, prog: &Program{version: v}, modules: map[string]goja.Value{}}
	roots := []any{vm.GlobalObject()}
	for _, name := range []string{"crypto", "querystring", "buffer", "cloudfront"} {
		if m, ok := st.module(name, true); ok {
			roots = append(roots, m)
		}
	}
	// Objects only a call returns, whose prototypes the globals do not lead to: iterators,
	// hash and HMAC objects (their next, update, digest are shared functions).
	makeFn, err := vm.RunString(madeObjects)
	if err != nil {
		return nil, err
	}
	mk, _ := goja.AssertFunction(makeFn)
	crypto, _ := st.module("crypto", true)
	made, err := mk(goja.Undefined(), crypto)
	if err != nil {
		return nil, err
	}
	roots = append(roots, made)
	walker, err := vm.RunString(sharedNamesWalker)
	if err != nil {
		return nil, err
	}
	walk, _ := goja.AssertFunction(walker)
	out, err := walk(goja.Undefined(), vm.NewArray(roots...))
	if err != nil {
		return nil, err
	}
	return strings.Split(out.String(), ","), nil
}

// madeObjects evaluates to a function of the crypto module returning objects built-ins make
// whose prototypes are reachable only from them; what a runtime lacks is left out.
const madeObjects = `(function (crypto) {
  var makers = [
    function () { return [].values(); }, function () { return [].keys(); }, function () { return [].entries(); },
    function () { return ''[Symbol.iterator](); }, function () { return Buffer.from('ab').entries(); },
    function () { return crypto.createHash('md5'); }, function () { return crypto.createHmac('md5', 'k'); }
  ];
  var out = [];
  for (var i = 0; i < makers.length; i++) { try { out.push(makers[i]()); } catch (err) {} }
  return out;
})`

// sharedNamesWalker lists the names of object-valued properties reachable from the roots.
const sharedNamesWalker = `(function (roots) {
  var seen = [], names = {};
  function visit(o) {
    if (o === null || (typeof o !== 'object' && typeof o !== 'function') || seen.indexOf(o) >= 0) { return; }
    seen.push(o);
    var keys = Object.getOwnPropertyNames(o);
    for (var i = 0; i < keys.length; i++) {
      var d = Object.getOwnPropertyDescriptor(o, keys[i]), v;
      if (d.get) { try { v = d.get.call(o); } catch (err) { continue; } } else { v = d.value; }
      if (v !== null && (typeof v === 'object' || typeof v === 'function')) { names[keys[i]] = true; }
      visit(v);
    }
    var syms = Object.getOwnPropertySymbols(o); // no names to list, but more objects to reach
    for (var j = 0; j < syms.length; j++) {
      var sd = Object.getOwnPropertyDescriptor(o, syms[j]);
      if (!sd.get) { visit(sd.value); }
    }
    visit(Object.getPrototypeOf(o));
  }
  for (var i = 0; i < roots.length; i++) { visit(roots[i]); }
  return Object.keys(names).join(',');
})`
