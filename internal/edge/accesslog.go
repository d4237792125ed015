package edge

import (
	"context"
	"log/slog"
	"time"

	"github.com/localfront/localfront/internal/runtime"
)

// accessLog writes one line per request with the fields of CloudFront's standard access log
// that mean something here, named as CloudFront names them.
func (x *exchange) accessLog() {
	if !x.logged {
		return
	}
	dist := ""
	if x.dist != nil {
		dist = x.dist.id
	}
	status := x.w.Status
	if status == 0 && x.result == "" {
		status = 499 // the viewer went away before an answer; nothing was written
	}
	// The record is built here rather than by Logger.LogAttrs, which would also capture the
	// caller's program counter (a stack walk per request) that no access log line shows; one
	// clock read serves both the line's time and time-taken.
	end := time.Now()
	rec := slog.NewRecord(end, slog.LevelInfo, "edge request", 0)
	rec.AddAttrs(
		slog.String("x-edge-request-id", x.id),
		slog.String("x-edge-location", x.e.pop),
		slog.String("distribution-id", dist),
		slog.String("c-ip", clientIP(x.r)),
		slog.String("cs-method", x.r.Method),
		slog.String("x-host-header", x.r.Host),
		slog.String("cs-uri-stem", x.path),
		slog.String("cs-uri-query", x.r.URL.RawQuery),
		slog.Int("sc-status", status),
		slog.Int64("sc-bytes", x.w.Bytes),
		slog.String("x-edge-result-type", x.result),
		slog.String("x-edge-response-result-type", x.result),
		slog.String("x-edge-detailed-result-type", x.detailed),
		slog.String("function", x.fn),
		slog.Float64("time-taken", end.Sub(x.start).Seconds()),
	)
	x.e.log.Handler().Handle(context.Background(), rec) // the level was checked when the request came in
}

// invocation is the runtime invocation of one run: the frozen clock, the function's key
// value store, and ch, where the origin-modification helpers record their calls (spec
// §10.5; nil for viewer-response runs, where they do not apply).
func (x *exchange) invocation(fn *function, ch *runtime.OriginChanges) (runtime.Invocation, error) {
	// Untimed: the edge reports no run time; Now zero: the clock when the function asks.
	inv := runtime.Invocation{OriginChanges: ch, Untimed: true}
	if x.e.opts.Clock != nil {
		inv.Now = x.e.opts.Clock()
	}
	if fn.kvsARN != "" && x.e.opts.KVS != nil {
		kv, err := x.e.opts.KVS.KVSReader(x.r.Context(), fn.kvsARN)
		if err != nil {
			return inv, err
		}
		inv.KVS = kv
	}
	return inv, nil
}
