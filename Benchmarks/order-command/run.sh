#!/usr/bin/env bash
# OrderCommand benchmarks: commands over HTTP, latency at a constant rate, rebuild at start.
#
#   Benchmarks/order-command/run.sh [--runs 3] [--duration 15] [--threads 2] [--connections 64]
#                                   [--rate-duration 20] [--orders 100000] [--phases "http rebuild auth"]
#                                   [--auth-control] [--skip-build] [--keep DIR]
#
# Builds order-command and kafkawire in release (under flock /tmp/swift-build.lock), starts one
# dev broker (kafkawire broker, fresh data dir under /tmp) and then:
#   http     one order-command (default flags: 6 partitions, acks=all, idempotent) on a free port;
#            per run, alternating which goes first: wrk with health.lua (GET /health/live) and wrk
#            with commands.lua (the order lifecycle mix), same threads/connections/duration;
#            then constant_rate.py at half the median command rate, --runs times.
#   rebuild  1-partition topics: rebuild.events (generate_events.py, --orders x 10 events, all
#            inside the 24 h idempotency window), rebuild.old (the same, a year old: command ids
#            pruned while folding) and rebuild.empty; per run, alternating the order:
#            `kafkawire perf consume` of rebuild.events, and an order-command taking each topic
#            over (measure_start.py: launch -> ready with the partition folded, RSS).
#            Fold time = ready time minus the empty topic's.
#   auth     two order-commands on topics of their own, one with authentication on (a JWKS of an
#            RS256 key, make_token.py), one without; per run, alternating which goes first: wrk
#            with commands.lua against each, the first with a staff token (RS256) on every
#            command. Ratio: commands/s with tokens / without.
#            --auth-control runs the same phase with neither instance requiring a token (an A/A
#            control): its ratio shows how far two identical instances differ on this machine.
# Prints a Markdown summary (medians, min-max) and keeps every raw result line in
# $WORK/results.jsonl. Every process it starts is stopped on exit.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$ROOT"

RUNS=3
DURATION=15
THREADS=2
CONNECTIONS=64
RATE_DURATION=20
ORDERS=100000
PHASES="http rebuild auth"
SKIP_BUILD=0
AUTH_CONTROL=0
KEEP=""
SWIFT_BUILD_LOCK="${SWIFT_BUILD_LOCK-/tmp/swift-build.lock}"

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$HERE/run.sh"; exit 2; }
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) RUNS="$2"; shift 2 ;;
        --duration) DURATION="$2"; shift 2 ;;
        --threads) THREADS="$2"; shift 2 ;;
        --connections) CONNECTIONS="$2"; shift 2 ;;
        --rate-duration) RATE_DURATION="$2"; shift 2 ;;
        --orders) ORDERS="$2"; shift 2 ;;
        --phases) PHASES="$2"; shift 2 ;;
        --skip-build) SKIP_BUILD=1; shift ;;
        --auth-control) AUTH_CONTROL=1; shift ;;
        --keep) KEEP="$2"; shift 2 ;;
        -h|--help) usage ;;
        *) echo "run.sh: unknown argument $1" >&2; usage ;;
    esac
done

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'order-command bench: ERROR: %s\n' "$*" >&2; exit 1; }
command -v wrk >/dev/null || die "wrk is not installed (apt-get install wrk)"

swift_locked() {
    if [ -n "$SWIFT_BUILD_LOCK" ] && command -v flock >/dev/null 2>&1; then
        flock "$SWIFT_BUILD_LOCK" swift "$@"
    else
        swift "$@"
    fi
}
if [ "$SKIP_BUILD" -eq 0 ]; then
    for product in order-command kafkawire; do
        log "swift build -c release --product $product"
        swift_locked build -c release --product "$product" >&2 </dev/null || die "release build of $product failed"
    done
fi
[ -x "$ROOT/.build/release/order-command" ] && [ -x "$ROOT/.build/release/kafkawire" ] \
    || die "release binaries not found in $ROOT/.build/release (build first, or drop --skip-build)"

VENV="$ROOT/.build/interop-venv"
if [[ " $PHASES " == *" rebuild "* || " $PHASES " == *" auth "* ]] && ! "$VENV/bin/python" -c 'import confluent_kafka, jwt' 2>/dev/null; then
    log "creating $VENV (confluent-kafka for generate_events.py)"
    python3 -m venv "$VENV" >&2
    "$VENV/bin/pip" install -q -r "$ROOT/Tests/interop/requirements.txt" >&2
fi

WORK="${KEEP:-$(mktemp -d "${TMPDIR:-/tmp}/order-command-bench.XXXXXX")}"
mkdir -p "$WORK"
RESULTS="$WORK/results.jsonl"
# Private copies: a build started meanwhile (by anyone) must not swap the binaries between runs.
BIN="$WORK/bin"
mkdir -p "$BIN"
cp "$ROOT/.build/release/order-command" "$ROOT/.build/release/kafkawire" "$BIN/"
: >"$RESULTS"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
BROKER_PORT="$(free_port)"
BROKER="127.0.0.1:$BROKER_PORT"
PIDS=()
stop_pid() {
    local pid="$1"
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
}
cleanup() {
    for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
    if [ -z "$KEEP" ]; then rm -rf "$WORK/data" "$WORK/bin"; fi
}
trap cleanup EXIT

cpu_of() { awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%.3f\n", ($12 + $13) / hz }' "/proc/$1/stat"; }
minus() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
wait_port() {  # port pid what
    for _ in $(seq 600); do
        kill -0 "$2" 2>/dev/null || die "$3 exited during start-up"
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
        sleep 0.1
    done
    die "$3 did not open port $1"
}

log "kafkawire broker on $BROKER (data $WORK/data, log $WORK/broker.log)"
mkdir -p "$WORK/data"
"$BIN/kafkawire" broker --listen "$BROKER" --data-dir "$WORK/data" --log-level warning </dev/null >"$WORK/broker.log" 2>&1 &
BROKER_PID=$!
PIDS+=("$BROKER_PID")
wait_port "$BROKER_PORT" "$BROKER_PID" "kafkawire broker"

# ---------------------------------------------------------------------------------------------
if [[ " $PHASES " == *" http "* ]]; then
    HTTP_PORT="$(free_port)"
    URL="http://127.0.0.1:$HTTP_PORT"
    log "order-command on $URL (log $WORK/order-command-http.log)"
    "$BIN/order-command" --kafka-bootstrap-servers "$BROKER" --http-listen "127.0.0.1:$HTTP_PORT" \
        --group-id bench-http </dev/null >"$WORK/order-command-http.log" 2>&1 &
    SERVER_PID=$!
    PIDS+=("$SERVER_PID")
    for _ in $(seq 600); do
        kill -0 "$SERVER_PID" 2>/dev/null || die "order-command exited (see $WORK/order-command-http.log)"
        [ "$(curl -s -o /dev/null -w '%{http_code}' "$URL/health/ready")" = 200 ] && break
        sleep 0.1
    done
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$URL/health/ready")" = 200 ] || die "order-command not ready"

    wrk_run() {  # kind run -> appends one result line
        local kind="$1" run="$2" s0 b0 s1 b1 out line
        s0="$(cpu_of "$SERVER_PID")"; b0="$(cpu_of "$BROKER_PID")"
        out="$(/usr/bin/time -f '%U %S' -o "$WORK/wrk.time" \
            wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s -s "$HERE/$kind.lua" "$URL" -- "r$run-$RANDOM")" \
            || die "wrk $kind failed: $out"
        s1="$(cpu_of "$SERVER_PID")"; b1="$(cpu_of "$BROKER_PID")"
        line="$(sed -n 's/^RESULT //p' <<<"$out")"
        [ -n "$line" ] || die "wrk $kind printed no result: $out"
        printf '{"phase":"http","run":%d,"server_cpu_s":%s,"broker_cpu_s":%s,"wrk_cpu_s":%s,"result":%s}\n' "$run" \
            "$(minus "$s0" "$s1")" "$(minus "$b0" "$b1")" "$(awk '{ printf "%.3f", $1 + $2 }' "$WORK/wrk.time")" "$line" >>"$RESULTS"
        log "  run $run $kind: $(python3 -c 'import json,sys; r=json.loads(sys.argv[1]); print(r["ok_per_s"], "ok/s,", r["non2xx"], "non-2xx, p50", r["p50_ms"], "ms")' "$line")"
    }

    log "warm-up: commands for 5 s"
    wrk -t"$THREADS" -c"$CONNECTIONS" -d5s --timeout 10s -s "$HERE/commands.lua" "$URL" -- warmup >/dev/null
    for run in $(seq "$RUNS"); do
        if [ $((run % 2)) -eq 1 ]; then order="health commands"; else order="commands health"; fi
        log "run $run/$RUNS: wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s ($order)"
        for kind in $order; do wrk_run "$kind" "$run"; done
    done

    RATE="$(python3 - "$RESULTS" <<'EOF'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print(round(statistics.median(r["result"]["ok_per_s"] for r in rows if r.get("phase") == "http" and r["result"]["kind"] == "commands") / 2))
EOF
)"
    for run in $(seq "$RUNS"); do
        log "run $run/$RUNS: constant rate $RATE commands/s for ${RATE_DURATION}s"
        s0="$(cpu_of "$SERVER_PID")"; b0="$(cpu_of "$BROKER_PID")"
        line="$(python3 "$HERE/constant_rate.py" --url "$URL" --rate "$RATE" --duration "$RATE_DURATION" --warmup 3 \
            --connections "$CONNECTIONS" --prefix "cr$run-$RANDOM")" || die "constant_rate.py failed"
        s1="$(cpu_of "$SERVER_PID")"; b1="$(cpu_of "$BROKER_PID")"
        printf '{"phase":"rate","run":%d,"server_cpu_s":%s,"broker_cpu_s":%s,"result":%s}\n' "$run" \
            "$(minus "$s0" "$s1")" "$(minus "$b0" "$b1")" "$line" >>"$RESULTS"
        log "  $line"
    done
    stop_pid "$SERVER_PID"
fi

# ---------------------------------------------------------------------------------------------
if [[ " $PHASES " == *" auth "* ]]; then
    TOKEN="$("$VENV/bin/python" "$HERE/make_token.py" --dir "$WORK")" || die "make_token.py failed"
    start_instance() {  # variant -> sets INSTANCE_PID, INSTANCE_URL
        local variant="$1" port extra=()
        port="$(free_port)"
        [ "$variant" = bearer ] && [ "$AUTH_CONTROL" = 0 ] && extra=(--auth-jwks-file "$WORK/jwks.json")
        "$BIN/order-command" --kafka-bootstrap-servers "$BROKER" --http-listen "127.0.0.1:$port" \
            --orders-topic "bench.auth.$variant" --group-id "bench-auth-$variant" "${extra[@]}" \
            </dev/null >"$WORK/order-command-auth-$variant.log" 2>&1 &
        INSTANCE_PID=$!
        PIDS+=("$INSTANCE_PID")
        INSTANCE_URL="http://127.0.0.1:$port"
        for _ in $(seq 600); do
            kill -0 "$INSTANCE_PID" 2>/dev/null || die "order-command ($variant) exited (see $WORK/order-command-auth-$variant.log)"
            [ "$(curl -s -o /dev/null -w '%{http_code}' "$INSTANCE_URL/health/ready")" = 200 ] && return 0
            sleep 0.1
        done
        die "order-command ($variant) not ready"
    }
    start_instance plain; PLAIN_PID="$INSTANCE_PID"; PLAIN_URL="$INSTANCE_URL"
    start_instance bearer; BEARER_PID="$INSTANCE_PID"; BEARER_URL="$INSTANCE_URL"
    AUTH_PHASE=auth; [ "$AUTH_CONTROL" = 1 ] && AUTH_PHASE=auth-control
    [ "$AUTH_CONTROL" = 1 ] || [ "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$BEARER_URL/orders" -d '{}')" = 401 ] \
        || die "the bearer instance answers without a token"
    auth_run() {  # variant run
        local variant="$1" run="$2" pid url token=() s0 s1 out line
        if [ "$variant" = bearer ]; then pid="$BEARER_PID"; url="$BEARER_URL"; [ "$AUTH_CONTROL" = 1 ] || token=("$TOKEN"); else pid="$PLAIN_PID"; url="$PLAIN_URL"; fi
        s0="$(cpu_of "$pid")"
        out="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s -s "$HERE/commands.lua" "$url" -- "a$run-$variant-$RANDOM" "${token[@]}")" \
            || die "wrk ($variant) failed: $out"
        s1="$(cpu_of "$pid")"
        line="$(sed -n 's/^RESULT //p' <<<"$out")"
        [ -n "$line" ] || die "wrk ($variant) printed no result: $out"
        printf '{"phase":"%s","variant":"%s","run":%d,"server_cpu_s":%s,"result":%s}\n' "$AUTH_PHASE" "$variant" "$run" "$(minus "$s0" "$s1")" "$line" >>"$RESULTS"
        log "  run $run $variant: $(python3 -c 'import json,sys; r=json.loads(sys.argv[1]); print(r["ok_per_s"], "ok/s,", r["non2xx"], "non-2xx, p50", r["p50_ms"], "ms")' "$line")"
    }
    log "warm-up: commands for 5 s on each"
    for url in "$PLAIN_URL" "$BEARER_URL"; do
        wrk -t"$THREADS" -c"$CONNECTIONS" -d5s --timeout 10s -s "$HERE/commands.lua" "$url" -- "warm-$RANDOM" "$TOKEN" >/dev/null
    done
    for run in $(seq "$RUNS"); do
        if [ $((run % 2)) -eq 1 ]; then order="bearer plain"; else order="plain bearer"; fi
        log "run $run/$RUNS: wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s ($order)"
        for variant in $order; do auth_run "$variant" "$run"; done
    done
    stop_pid "$PLAIN_PID"; stop_pid "$BEARER_PID"
fi

# ---------------------------------------------------------------------------------------------
if [[ " $PHASES " == *" rebuild "* ]]; then
    EVENTS=$((ORDERS * 10))
    for topic in rebuild.events rebuild.old rebuild.empty; do
        "$BIN/kafkawire" topics create "$topic" --brokers "$BROKER" --partitions 1 \
            --config retention.ms=-1 --config retention.bytes=-1 --config cleanup.policy=delete >&2 \
            || die "creating $topic failed"
    done
    for age in 0 365; do
        if [ "$age" = 0 ]; then topic=rebuild.events; else topic=rebuild.old; fi
        log "generating $ORDERS orders x 10 events into $topic (occurred $age days ago)"
        line="$("$VENV/bin/python" "$HERE/generate_events.py" --bootstrap "$BROKER" --topic "$topic" --orders "$ORDERS" \
            --age-days "$age")" || die "generate_events.py failed"
        echo "{\"phase\":\"generate\",\"result\":$line}" >>"$RESULTS"
        log "  $line"
    done

    start_run() {  # kind(full|old|empty) run
        local kind="$1" run="$2" port topic expect line
        port="$(free_port)"
        case "$kind" in
            full) topic=rebuild.events; expect=(--expect-orders "$ORDERS" --expect-events "$EVENTS") ;;
            old) topic=rebuild.old; expect=(--expect-orders "$ORDERS" --expect-events "$EVENTS") ;;
            *) topic=rebuild.empty; expect=(--expect-orders 0) ;;
        esac
        line="$(python3 "$HERE/measure_start.py" --port "$port" --log "$WORK/order-command-$kind-$run.log" "${expect[@]}" -- \
            "$BIN/order-command" --kafka-bootstrap-servers "$BROKER" --http-listen "127.0.0.1:$port" \
            --orders-topic "$topic" --orders-partitions 1 --group-id "bench-rebuild-$kind-$run-$RANDOM")" \
            || die "measure_start.py ($kind) failed: $line"
        echo "{\"phase\":\"rebuild\",\"run\":$run,\"instance\":\"$kind\",\"result\":$line}" >>"$RESULTS"
        log "  run $run $kind: $line"
    }
    consume_run() {  # run
        local line b0 b1
        b0="$(cpu_of "$BROKER_PID")"
        line="$("$BIN/kafkawire" perf consume --brokers "$BROKER" --topic rebuild.events --messages "$EVENTS" \
            --partitions 1 --timeout 300)" || die "kafkawire perf consume failed: $line"
        b1="$(cpu_of "$BROKER_PID")"
        echo "{\"phase\":\"rebuild\",\"run\":$1,\"instance\":\"perf-consume\",\"broker_cpu_s\":$(minus "$b0" "$b1"),\"result\":$line}" >>"$RESULTS"
        log "  run $1 perf consume: $line"
    }
    for run in $(seq "$RUNS"); do
        log "run $run/$RUNS: rebuild of $EVENTS events"
        if [ $((run % 2)) -eq 1 ]; then consume_run "$run"; start_run full "$run"; start_run empty "$run"; start_run old "$run"
        else start_run old "$run"; start_run empty "$run"; start_run full "$run"; consume_run "$run"; fi
    done
fi

python3 "$HERE/summarize.py" "$RESULTS" --threads "$THREADS" --connections "$CONNECTIONS" --duration "$DURATION"
log "raw results: $RESULTS"
