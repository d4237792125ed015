// Package edge is LocalFront's viewer-facing proxy: the CloudFront edge for the distributions
// of every account. For each request it finds the distribution by Host (its domain name or one
// of its aliases), the cache behaviour by path, runs the behaviour's viewer-request function,
// forwards the (possibly rewritten) request to the origin — or sends the response the function
// generated — runs the viewer-response function on origin answers below 400, and writes the
// result with CloudFront's headers (Via, X-Cache, X-Amz-Cf-Pop, X-Amz-Cf-Id).
//
// Routing comes from an immutable snapshot (host → distribution → behaviours with their
// compiled LIVE programs) swapped atomically when a distribution changes or a function is
// published; requests in flight keep the snapshot they started with and no request queries
// the store. Functions run on a runtime.Engine, each function limited to a share of its
// slots so that a runaway function cannot hold up the others (limiter.go). console.log lines
// are kept per function in a bounded in-memory log (logs.go).
//
// The semantics follow spec §9 (event shape, header rules, 502/503 behaviour), §10.5 (origin
// helpers) and §11 (associations).
package edge
