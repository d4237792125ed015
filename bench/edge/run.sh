#!/usr/bin/env bash
# Edge load benchmark: Go proxies and the forwarder against nginx (+ njs), in front of the
# same tiny origin, on 127.0.0.1 only, bounded in time.
#
#   bench/edge/run.sh                      # defaults: 2 rounds x 8 s per case, 32 connections
#   DURATION=5 ROUNDS=3 bench/edge/run.sh
#
# Each round runs every case once (the order flips every other round), so slow drift of a
# shared machine spreads over all cases. The proxy under test is pinned to PROXY_CPU, wrk and
# the origin to LOAD_CPU, so the proxy's CPU time per request (utime+stime from /proc over the
# measured run, divided by the requests wrk completed) means something.
#
# Needs: go, wrk, taskset, curl; for the nginx cases nginx and its njs module. It installs
# nothing; it says what is missing:  apt-get install -y nginx libnginx-mod-http-js wrk
set -euo pipefail

DURATION=${DURATION:-8}     # seconds measured per case and round
WARMUP=${WARMUP:-1}         # seconds of unmeasured load before each measurement
ROUNDS=${ROUNDS:-2}
CONNS=${CONNS:-32}
BASE_PORT=${BASE_PORT:-18180}
PROXY_CPU=${PROXY_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}
REQ_PATH=${REQ_PATH:-/dir/}
BODY_BYTES=${BODY_BYTES:-64}
NJS_MODULE=${NJS_MODULE:-/usr/lib/nginx/modules/ngx_http_js_module.so}
ONLY=${ONLY:-}              # space-separated case names to measure (default: every case)

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)

# ---- prerequisites -------------------------------------------------------------------
missing_pkgs=()
command -v wrk >/dev/null || missing_pkgs+=(wrk)
have_nginx=1
if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then missing_pkgs+=(nginx); have_nginx=0; fi
if [ ! -f "$NJS_MODULE" ]; then missing_pkgs+=(libnginx-mod-http-js); have_nginx=0; fi
for tool in go taskset curl; do
    command -v "$tool" >/dev/null || { echo "missing tool: $tool" >&2; exit 2; }
done
if [ ${#missing_pkgs[@]} -gt 0 ]; then
    echo "missing packages: ${missing_pkgs[*]}   (install: apt-get install -y ${missing_pkgs[*]})" >&2
fi
command -v wrk >/dev/null || exit 2
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
if [ "$(nproc)" -lt 2 ]; then
    echo "note: fewer than 2 CPUs; proxy and load share a CPU, CPU/request still valid, req/s is not" >&2
    LOAD_CPU=$PROXY_CPU
fi

# ---- processes: every one started here is killed on exit ------------------------------
work=$(mktemp -d /tmp/lf-bench-edge.XXXXXX)
pids=()
cleanup() {
    local p
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_port() {
    local i
    for i in $(seq 1 100); do port_open "$1" && return 0; sleep 0.05; done
    echo "nothing listens on port $1 after 5 s" >&2
    return 1
}
# start NAME CPU PORT CMD...: run pinned, remember the pid, wait for the port.
start() {
    local name=$1 cpu=$2 port=$3; shift 3
    if port_open "$port"; then echo "port $port is already in use (set BASE_PORT)" >&2; exit 2; fi
    taskset -c "$cpu" "$@" >"$work/$name.log" 2>&1 &
    local pid=$!
    pids+=("$pid")
    wait_port "$port" || { cat "$work/$name.log" >&2; exit 1; }
    LAST_PID=$pid
}

echo "building Go programs..."
(cd "$repo" && go build -o "$work/origin" ./bench/edge/origin && go build -o "$work/proxy" ./bench/edge/proxy &&
    go build -o "$work/localfront" ./cmd/localfront && go build -o "$work/setup" ./bench/edge/setup)

ORIGIN_PORT=$((BASE_PORT + 1))
start origin "$LOAD_CPU" "$ORIGIN_PORT" "$work/origin" -listen "127.0.0.1:$ORIGIN_PORT" -body "$BODY_BYTES"

# ---- cases ---------------------------------------------------------------------------
# A case is: name, port, pid whose CPU is measured (with its children), expected X-Origin-Uri,
# a response header that must be present ("" for none), and a label for the table.
# An optional seventh argument is the Host header to send (the edge routes by Host).
CASES=()
declare -A C_PORT C_PID C_URI C_HDR C_LABEL C_HOST
add_case() {
    if [ -n "$ONLY" ] && [[ " $ONLY " != *" $1 "* ]]; then return 0; fi
    CASES+=("$1"); C_PORT[$1]=$2; C_PID[$1]=$3; C_URI[$1]=$4; C_HDR[$1]=$5; C_LABEL[$1]=$6; C_HOST[$1]=${7:-}
}
host_args() { # curl/wrk arguments for a case's Host header
    if [ -n "${C_HOST[$1]}" ]; then printf '%s\n' -H "Host: ${C_HOST[$1]}"; fi
}
rewritten_path=$REQ_PATH
case "$REQ_PATH" in
    */) rewritten_path="${REQ_PATH}index.html" ;;
    *.*) ;;
    *) rewritten_path="$REQ_PATH/index.html" ;;
esac

port=$((BASE_PORT + 10))
go_case() { # name mode uri header label
    if [ -n "$ONLY" ] && [[ " $ONLY " != *" $1 "* ]]; then port=$((port + 1)); return 0; fi
    start "$1" "$PROXY_CPU" "$port" "$work/proxy" -mode "$2" -listen "127.0.0.1:$port" -origin "127.0.0.1:$ORIGIN_PORT"
    add_case "$1" "$port" "$LAST_PID" "$3" "$4" "$5"
    port=$((port + 1))
}
go_case go-direct          direct             "$REQ_PATH"       "" "net/http answering itself (no origin)"
go_case go-reverseproxy    reverseproxy       "$REQ_PATH"       "" "Go httputil.ReverseProxy (default Transport)"
go_case go-rp-tuned        reverseproxy-tuned "$REQ_PATH"       "" "Go ReverseProxy, tuned Transport"
go_case forward            forward            "$REQ_PATH"       "" "forwarder, no function"
go_case forward-go-rewrite forward-rewrite    "$rewritten_path" "" "forwarder+go-rewrite (not the edge)"
go_case forward-go-headers forward-headers    "$REQ_PATH"       "Strict-Transport-Security" "forwarder+go-headers (not the edge)"

# The edge itself: `localfront serve` with one distribution per case (bench/edge/setup
# creates them through the API), pinned like the proxies. The access log is off (warn level).
api_port=$port; edge_port=$((port + 1)); port=$((port + 2))
start localfront "$PROXY_CPU" "$api_port" "$work/localfront" serve --in-memory --log-level warn \
    --listen "127.0.0.1:$api_port" --edge-listen "127.0.0.1:$edge_port"
lf_pid=$LAST_PID
wait_port "$edge_port"
declare -A EDGE_HOST
while read -r name domain; do EDGE_HOST[$name]=$domain; done < <("$work/setup" -api "http://127.0.0.1:$api_port" -origin "127.0.0.1:$ORIGIN_PORT")
add_case edge-nofn    "$edge_port" "$lf_pid" "$REQ_PATH"       ""                          "edge, no function"                   "${EDGE_HOST[nofn]}"
add_case edge-rewrite "$edge_port" "$lf_pid" "$rewritten_path" ""                          "edge + viewer-request rewrite"       "${EDGE_HOST[rewrite]}"
add_case edge-headers "$edge_port" "$lf_pid" "$REQ_PATH"       "Strict-Transport-Security" "edge + viewer-response headers"      "${EDGE_HOST[headers]}"

if [ "$have_nginx" = 1 ]; then
    mkdir -p "$work/tmp"
    cp "$here/nginx/cf.js" "$work/cf.js"
    p_plain=$((BASE_PORT + 30)); p_rw=$((BASE_PORT + 31)); p_hd=$((BASE_PORT + 32))
    sed -e "s#@DIR@#$work#g" -e "s#@ORIGIN@#127.0.0.1:$ORIGIN_PORT#g" \
        -e "s#@PLAIN@#127.0.0.1:$p_plain#g" -e "s#@REWRITE@#127.0.0.1:$p_rw#g" \
        -e "s#@HEADERS@#127.0.0.1:$p_hd#g" "$here/nginx/nginx.conf.tmpl" >"$work/nginx.conf"
    "$NGINX" -t -q -p "$work" -c "$work/nginx.conf" || { cat "$work/nginx-error.log" >&2 || true; exit 1; }
    start nginx "$PROXY_CPU" "$p_plain" "$NGINX" -p "$work" -c "$work/nginx.conf"
    wait_port "$p_rw"; wait_port "$p_hd"
    add_case nginx             "$p_plain" "$LAST_PID" "$REQ_PATH"       "" "nginx proxy_pass"
    add_case nginx-njs-rewrite "$p_rw"    "$LAST_PID" "$rewritten_path" "" "nginx + njs rewrite (js_set)"
    add_case nginx-njs-headers "$p_hd"    "$LAST_PID" "$REQ_PATH"       "Strict-Transport-Security" "nginx + njs headers (js_header_filter)"
fi

# ---- correctness check of every case before loading it ------------------------------------
for c in "${CASES[@]}"; do
    mapfile -t hargs < <(host_args "$c")
    hdrs=$(curl -s -o /dev/null -D - "${hargs[@]}" "http://127.0.0.1:${C_PORT[$c]}$REQ_PATH" | tr -d '\r')
    status=$(printf '%s\n' "$hdrs" | awk 'NR==1{print $2}')
    uri=$(printf '%s\n' "$hdrs" | awk -F': ' 'tolower($1)=="x-origin-uri"{print $2}')
    ok=1
    [ "$status" = 200 ] || ok=0
    [ "$uri" = "${C_URI[$c]}" ] || ok=0
    if [ -n "${C_HDR[$c]}" ] && ! printf '%s\n' "$hdrs" | grep -qi "^${C_HDR[$c]}:"; then ok=0; fi
    if [ $ok = 0 ]; then
        echo "case $c does not behave: status=$status origin-uri=$uri (want ${C_URI[$c]}) header ${C_HDR[$c]:-none}" >&2
        printf '%s\n' "$hdrs" >&2
        exit 1
    fi
done

# ---- measurement ------------------------------------------------------------------------
HZ=$(getconf CLK_TCK)
ticks() { # utime+stime of a pid and its children, in clock ticks
    local p total=0 t
    for p in $1 $(pgrep -P "$1" || true); do
        t=$(awk '{ s = $0; sub(/^.*\) /, "", s); split(s, f, " "); print f[12] + f[13] }' "/proc/$p/stat" 2>/dev/null || echo 0)
        total=$((total + t))
    done
    echo "$total"
}
# wrk's --latency figures to microseconds
to_us() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) print n; else if (v ~ /ms$/) print n * 1000; else if (v ~ /s$/) print n * 1000000; else print n }'; }

results="$work/results.tsv"
: >"$results"
n_cases=${#CASES[@]}
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) (a busy machine makes req/s noisy; CPU per request less so)"
echo "cases: $n_cases, rounds: $ROUNDS, ${DURATION}s each (+${WARMUP}s warm-up); about $(( n_cases * ROUNDS * (DURATION + WARMUP + 1) ))s"
echo "proxy on CPU $PROXY_CPU; wrk -t1 -c$CONNS and origin on CPU $LOAD_CPU; GET $REQ_PATH, ${BODY_BYTES}-byte body"

measure() { # round case
    local c=$2 url="http://127.0.0.1:${C_PORT[$2]}$REQ_PATH" out t0 t1 hargs
    mapfile -t hargs < <(host_args "$c")
    taskset -c "$LOAD_CPU" timeout $((WARMUP + 10)) wrk -t1 -c"$CONNS" -d"${WARMUP}s" "${hargs[@]}" "$url" >/dev/null
    t0=$(ticks "${C_PID[$c]}")
    out=$(taskset -c "$LOAD_CPU" timeout $((DURATION + 10)) wrk -t1 -c"$CONNS" -d"${DURATION}s" --latency "${hargs[@]}" "$url")
    t1=$(ticks "${C_PID[$c]}")
    local rps reqs p50 p99 errs non2xx
    rps=$(printf '%s\n' "$out" | awk '/^Requests\/sec:/ {print $2}')
    reqs=$(printf '%s\n' "$out" | awk '/requests in/ {print $1}')
    p50=$(to_us "$(printf '%s\n' "$out" | awk '$1=="50%" {print $2}')")
    p99=$(to_us "$(printf '%s\n' "$out" | awk '$1=="99%" {print $2}')")
    errs=$(printf '%s\n' "$out" | awk -F'[ ,]+' '/Socket errors/ {print $4+$6+$8+$10}')
    non2xx=$(printf '%s\n' "$out" | awk '/Non-2xx/ {print $NF}')
    errs=$(( ${errs:-0} + ${non2xx:-0} ))
    local cpu_us
    cpu_us=$(awk -v d=$((t1 - t0)) -v hz="$HZ" -v n="$reqs" 'BEGIN { printf "%.1f", d * 1e6 / hz / n }')
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$c" "$rps" "$p50" "$p99" "$cpu_us" "$errs" "$reqs" >>"$results"
    printf '  round %s  %-20s %9.0f req/s  p50 %6.0f us  p99 %6.0f us  cpu %5.1f us/req  errors %s\n' \
        "$1" "$c" "$rps" "$p50" "$p99" "$cpu_us" "$errs"
}

for r in $(seq 1 "$ROUNDS"); do
    order=("${CASES[@]}")
    if [ $((r % 2)) = 0 ]; then # reverse every other round
        order=(); for ((i = n_cases - 1; i >= 0; i--)); do order+=("${CASES[$i]}"); done
    fi
    for c in "${order[@]}"; do measure "$r" "$c"; done
done

# ---- summary ----------------------------------------------------------------------------
# The machine may be shared: other work only ever makes a round slower, so besides the mean
# the table shows the best round (highest req/s, lowest CPU per request). The proxy is pinned
# to one CPU, so its capacity is 1 / (CPU per request); "cpu ratio" compares capacities and is
# the figure least disturbed by neighbours. "rps ratio" compares the best measured req/s.
# A best round of one case and a best round of another may come from different moments of
# the neighbours' load, so each ratio is also given as the median, over the rounds, of the
# ratio within a round (the two cases measured minutes apart at most): with several rounds
# this is the figure a lucky or unlucky round moves least.
echo
echo "Summary over $ROUNDS rounds (best = best round; cpu = proxy utime+stime per request):"
labels="$work/labels.tsv"
: >"$labels"
for c in "${CASES[@]}"; do printf '%s\t%s\n' "$c" "${C_LABEL[$c]}" >>"$labels"; done
awk -F'\t' -v order="${CASES[*]}" '
    FNR == NR { label[$1] = $2; next }
    {
        c = $2; n[c]++; sum[c] += $3; err[c] += $7
        rr[c, $1] = $3; rc[c, $1] = $6; if ($1 > rounds) rounds = $1
        if (!(c in best) || $3 > best[c]) { best[c] = $3; p50[c] = $4; p99[c] = $5 }
        if (!(c in cpu) || $6 < cpu[c]) cpu[c] = $6
    }
    END {
        split(order, cs, " ")
        bar = "nginx-njs-rewrite"
        printf "%-19s %-42s %9s %9s %7s %7s %7s %6s %9s %9s\n", "case", "", "mean r/s", "best r/s", "p50 us", "p99 us", "cpu us", "errors", "rps/njs", "cpu/njs"
        for (i = 1; i in cs; i++) {
            c = cs[i]; if (!(c in n)) continue
            r1 = (bar in n) ? sprintf("%.2f", best[c] / best[bar]) : "-"
            r2 = (bar in n) ? sprintf("%.2f", cpu[bar] / cpu[c]) : "-"
            printf "%-19s %-42s %9.0f %9.0f %7.0f %7.0f %7.1f %6d %9s %9s\n", c, label[c], sum[c] / n[c], best[c], p50[c], p99[c], cpu[c], err[c], r1, r2
        }
        print ""
        print "ratios: req/s of the best rounds | capacity (1 / CPU per request) of the best rounds || medians over rounds of the ratio within a round, req/s | capacity:"
        pair("edge-rewrite", "edge-nofn", "edge rewrite / edge, no function (target >= 0.9)")
        pair("edge-rewrite", "nginx-njs-rewrite", "edge rewrite / nginx+njs rewrite (target >= 0.6)")
        pair("edge-headers", "nginx-njs-headers", "edge headers / nginx+njs headers")
        pair("edge-nofn", "forward", "edge, no function / bare forwarder")
        pair("forward-go-rewrite", "forward", "go-rewrite / forward, no function (edge target >= 0.9)")
        pair("forward-go-headers", "forward", "go-headers / forward, no function")
        pair("forward-go-rewrite", "nginx-njs-rewrite", "go-rewrite / nginx+njs rewrite (edge target >= 0.6)")
        pair("forward-go-headers", "nginx-njs-headers", "go-headers / nginx+njs headers")
        pair("forward", "nginx", "forward / nginx plain")
        pair("forward", "go-reverseproxy", "forward / bare httputil.ReverseProxy")
        pair("forward", "go-rp-tuned", "forward / tuned ReverseProxy")
        pair("forward", "go-direct", "forward / net/http answering itself")
        pair("nginx-njs-rewrite", "nginx", "nginx+njs rewrite / nginx plain")
    }
    function pair(a, b, text,    r, k) {
        if (!((a in n) && (b in n))) return
        k = 0
        for (r = 1; r <= rounds; r++)
            if (((a, r) in rr) && ((b, r) in rr) && rr[b, r] > 0 && rc[a, r] > 0) {
                k++; qr[k] = rr[a, r] / rr[b, r]; qc[k] = rc[b, r] / rc[a, r]
            }
        printf "  %-58s %5.2f | %5.2f || %5.2f | %5.2f  (%d rounds)\n", text, best[a] / best[b], cpu[b] / cpu[a], median(qr, k), median(qc, k), k
    }
    function median(v, k,    i, j, t) { # sorts v[1..k] in place
        if (k == 0) return 0
        for (i = 2; i <= k; i++) { t = v[i]; for (j = i - 1; j >= 1 && v[j] > t; j--) v[j + 1] = v[j]; v[j + 1] = t }
        return (k % 2) ? v[(k + 1) / 2] : (v[k / 2] + v[k / 2 + 1]) / 2
    }
' "$labels" "$results"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
