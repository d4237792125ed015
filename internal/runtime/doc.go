// Package runtime runs CloudFront Functions: it compiles code for cloudfront-js-1.0 or
// cloudfront-js-2.0 on goja, builds the event object, runs the handler within limits and
// reads back the request or response it returns. The edge, TestFunction (Engine.Test) and
// `localfront test` all go through Engine. The JS global environment (built-in modules,
// Buffer, byte strings, removed built-ins, length-checked built-ins) is package jsenv's.
//
// Files: compile.go (Compile, error texts), syntaxgate.go (the per-runtime feature gate),
// imports.go and wrap.go (import statements, the per-invocation wrapper), shared.go (which
// programs may not reuse a VM), event.go / eventjson.go / output.go (the event types, test
// events, FunctionOutput), bridge_in.go / bridge_out.go (Go ⇄ JS), engine.go / vm.go /
// idle.go / cache.go / watchdog.go (running), console.go, errors.go / jsonerror.go (njs texts),
// test.go (Engine.Test).
//
// Decisions where the spec is silent (see also the comments at each place):
//   - Syntax (spec §10.2, §14 Q14): 2.0 accepts what njs 0.7.9 parses; 1.0 also refuses
//     let/const, async/await, numeric separators and import. Classes, generators,
//     destructuring, spread, default parameters, optional chaining, for…of, logical
//     assignment and BigInt are refused in both; ?? is allowed in both. Texts follow njs
//     ("Token "class" not supported in this version") or name the feature, with line:column.
//   - CreateFunction/UpdateFunction do not compile code (spec §3.1, §14 Q7); TestFunction and
//     the edge report compile errors as the function's error.
//   - Each invocation re-runs the top-level code in a fresh function scope on a pooled VM, so
//     top-level variables never carry over; programs that may change shared objects (a
//     built-in, the global object, a module) never reuse a VM (shared.go).
//   - Invalid return values are FunctionValidationError texts (spec §14 Q15); the edge maps
//     ErrInvalidOutput to 502 and the other kinds to 503 (spec §9.8).
//   - console.log('a', 'b') joins with a space, as njs does; logs stop at 10 KB (each line
//     counting one byte more for its line break).
//   - ComputeUtilization = run time / Options.Budget (default 5 ms, see DefaultBudget).
//   - Test events: header names must be lowercase (spec §8); unknown members are ignored;
//     eventType defaults from the presence of a response.
//   - Known divergences from njs: goja says "of undefined" where njs says "of null"; plain
//     objects created by JS list integer-like keys first (njs keeps insertion order; the
//     bridged event keeps insertion order); stack overflow cannot be caught by try/catch;
//     Object.freeze on the bridged event objects throws.
package runtime
