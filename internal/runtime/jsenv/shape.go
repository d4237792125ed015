package jsenv

import (
	"fmt"
	"strings"

	"github.com/dop251/goja"
)

// What goja (ES2023-ish) has and the CloudFront runtimes do not. Decided by the spec tables
// (§10.3) and, for what the tables do not mention, by njs 0.7.9's own built-ins (the engine
// behind both runtimes, §10.8), compared property by property.
//
// A path names a property: "Map" is a global, "Array.prototype.at" a property reached from
// one, "%TypedArray%" the shared parent of the typed-array constructors. Braces list
// several names under one parent.
var (
	// Absent in both runtimes: not in njs 0.7.9.
	removedBoth = []string{
		"{BigInt,BigInt64Array,BigUint64Array,Map,Set,WeakMap,WeakSet,Proxy,Reflect,GoError,escape,unescape}",
		"Object.{fromEntries,hasOwn}",
		"Object.prototype.toLocaleString",
		"Function.prototype.toString",
		"Array.from",
		"Array.prototype.{at,findLast,findLastIndex,flat,flatMap,toLocaleString,toReversed,toSorted,toSpliced,with}",
		"String.raw",
		"String.prototype.{at,localeCompare,matchAll,normalize,toLocaleLowerCase,toLocaleUpperCase,trimLeft,trimRight}",
		"Number.prototype.toLocaleString",
		"RegExp.prototype.compile",
		"Error.isError",
		"JSON.{isRawJSON,rawJSON}",
		"%TypedArray%.prototype.{at,findLast,findLastIndex,toLocaleString,toReversed,toSorted,with}",
		"Uint8Array.{fromBase64,fromHex}",
		"Uint8Array.prototype.{setFromBase64,setFromHex,toBase64,toHex}",
		"DataView.prototype.{getBigInt64,getBigUint64,setBigInt64,setBigUint64}",
	}

	// Absent in 1.0 only: the "2.0 additions" column of §10.3 (plus AggregateError, which
	// came with Promise.any).
	removedV1 = []string{
		"{DataView,AggregateError}",
		"Object.getOwnPropertyDescriptors",
		"String.prototype.replaceAll",
		"Promise.{all,allSettled,any,race}",
		"Symbol.{for,keyFor}",
		"%TypedArray%.{from,of}",
		"%TypedArray%.prototype.{every,filter,find,findIndex,forEach,includes,indexOf,lastIndexOf,map,reduce,reduceRight,reverse,some,sort}",
	}
)

// removeProps deletes every property the paths name. A missing parent is an error (the
// table is out of step with goja); a missing property is skipped.
func (e *env) removeProps(paths []string) error {
	for _, p := range paths {
		for _, full := range expandPath(p) {
			dot := strings.LastIndexByte(full, '.')
			parentPath, name := "", full
			if dot >= 0 {
				parentPath, name = full[:dot], full[dot+1:]
			}
			parent, err := e.resolve(parentPath)
			if err != nil {
				return fmt.Errorf("jsenv: remove %s: %w", full, err)
			}
			before := parent.Get(name)
			if before == nil {
				continue // this goja build does not have it; nothing to remove
			}
			if err := parent.Delete(name); err != nil {
				return fmt.Errorf("jsenv: remove %s: %w", full, err)
			}
			if after := parent.Get(name); after != nil && after.SameAs(before) {
				return fmt.Errorf("jsenv: remove %s: not deletable", full)
			}
		}
	}
	return nil
}

// expandPath turns "A.{b,c}" into "A.b", "A.c".
func expandPath(p string) []string {
	open := strings.IndexByte(p, '{')
	if open < 0 {
		return []string{p}
	}
	head := p[:open]
	names := strings.Split(strings.TrimSuffix(p[open+1:], "}"), ",")
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = head + n
	}
	return out
}

// resolve walks a dotted path from the global object.
func (e *env) resolve(path string) (*goja.Object, error) {
	obj := e.vm.GlobalObject()
	if path == "" {
		return obj, nil
	}
	for _, part := range strings.Split(path, ".") {
		var v goja.Value
		if part == "%TypedArray%" {
			v = e.uint8ArrayCtor.Prototype()
		} else {
			v = obj.Get(part)
		}
		next, ok := v.(*goja.Object)
		if !ok || next == nil {
			return nil, fmt.Errorf("%s: %q is not an object", path, part)
		}
		obj = next
	}
	return obj, nil
}
