#!/usr/bin/env bash
# Memory footprint of one function run: distinct 4 KiB pages of code and data, and 64-byte
# data lines, counted by valgrind's lackey from a trace of `footprint run` (main.go says why
# this count is what a run costs the edge under load). Counts are exact and repeatable,
# whatever else the machine is doing. About two minutes per function.
#
#   bench/footprint/run.sh                         # passthrough, rewrite, headers; LocalFront and bare goja
#   FUNCS="rewrite" RUNS=8 bench/footprint/run.sh
#
# Needs valgrind (Debian: apt-get install -y valgrind); it installs nothing.
set -euo pipefail
FUNCS=${FUNCS:-passthrough rewrite headers}
RUNS=${RUNS:-12}
MODES=${MODES:-localfront bare}
command -v valgrind >/dev/null || { echo "missing: valgrind (apt-get install -y valgrind)" >&2; exit 2; }
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d /tmp/lf-footprint.XXXXXX)
trap 'rm -rf "$work"' EXIT
(cd "$repo" && go build -o "$work/footprint" ./bench/footprint)
for f in $FUNCS; do
    for m in $MODES; do
        bare=(); label="$f (LocalFront)"
        if [ "$m" = bare ]; then bare=(-bare); label="$f (bare goja)"; fi
        # lackey writes its trace to fd 3, which is the pipe; the program's own output is dropped.
        # Async preemption is off: valgrind and Go's preemption signals do not mix.
        GODEBUG=asyncpreemptoff=1 valgrind --tool=lackey --trace-mem=yes --log-fd=3 \
            "$work/footprint" run -func "$f" -runs "$RUNS" "${bare[@]}" 3>&1 >/dev/null 2>"$work/err" |
            "$work/footprint" count -bin "$work/footprint" -func "$label" ||
            { cat "$work/err" >&2; exit 1; }
    done
done
