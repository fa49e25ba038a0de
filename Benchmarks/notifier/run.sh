#!/usr/bin/env bash
# Notifier benchmark: notifications/s to the file sink and to a local webhook receiver, against
# `kafkawire perf consume` of the same events in the same run.
#
#   Benchmarks/notifier/run.sh [--runs 3] [--orders 10000] [--concurrency 16] [--skip-build]
#                              [--keep DIR] [--limits] [--limit-orders 5000] [--limit-concurrency 1,4,16,64]
#                              [--perf] [--postgres] [--pg-fast]
#                              [--python-receiver]
#
# --postgres: PostgreSQL with its stock durability (fsync=on, synchronous_commit=on), its
# settings printed as a JSON line; --pg-fast: fsync=off, labelled.
#
# Builds notifier and kafkawire in release (under flock /tmp/swift-build.lock), starts a dev
# broker, creates a 6-partition orders.events and fills it with --orders x 10 events
# (../order-command/generate_events.py --partitions 6: valid events as order-command writes
# them, each order on its key's murmur2 partition; 4 in 5 orders notify 4 times, placed,
# confirmed, shipped, delivered, and 1 in 5 twice, placed, cancelled). Starts the webhook
# receiver: nginx (`location /hook { return 200; }`, one worker, foreground, config in the work
# dir) when it is installed or installable with apt-get, else a Python ThreadingHTTPServer.
# Then bench.py --runs times, in a rotating order: the peer (`kafkawire perf consume` of the
# topic), a notifier with NOTIFIER_SINKS=file:PATH and one with NOTIFIER_SINKS=webhook:URL, each
# on a fresh SQLite ledger and group, timed from process start until /status shows every
# notification delivered. One JSON line per run, then a summary line with medians and ratios.
# --limits adds the diagnosis on a second, smaller topic (--limit-orders orders): the file
# sink at NOTIFIER_CONCURRENCY 1, 4, 16, 64 and the webhook at --concurrency, with per-thread
# CPU, syscalls and context switches of the notifier counted in a window of the fold and one of
# the deliveries after it; --perf adds perf profiles of those windows; --postgres one more
# file-sink run with the ledger on a throwaway PostgreSQL (scripts/lib/test-postgres.sh).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$ROOT"

RUNS=3
ORDERS=10000
CONCURRENCY=16
SKIP_BUILD=0
KEEP=""
LIMITS=0
LIMIT_ORDERS=5000
POSTGRES=0
LIMIT_CONCURRENCY=1,4,16,64
PERF=0
PY_RECEIVER=0
PARTITIONS=6
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) RUNS="$2"; shift 2 ;;
        --orders) ORDERS="$2"; shift 2 ;;
        --concurrency) CONCURRENCY="$2"; shift 2 ;;
        --skip-build) SKIP_BUILD=1; shift ;;
        --keep) KEEP="$2"; shift 2 ;;
        --limits) LIMITS=1; shift ;;
        --limit-orders) LIMIT_ORDERS="$2"; shift 2 ;;
        --perf) PERF=1; shift ;;
        --postgres) POSTGRES=1; shift ;;
        --pg-fast) export BENCH_PG_FAST=1; shift ;;
        --limit-concurrency) LIMIT_CONCURRENCY="$2"; shift 2 ;;
        --python-receiver) PY_RECEIVER=1; shift ;;
        *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'notifier bench: ERROR: %s\n' "$*" >&2; exit 1; }
# shellcheck source=../lib.sh
. "$HERE/../lib.sh"

# What is measured: the commit, and the uncommitted changes to what the two binaries are built from.
COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
DIRTY="$(git status --porcelain -- Services/Notifier Shared Package.swift Package.resolved 2>/dev/null | awk '{print $2}' | paste -sd, -)"
[ "$SKIP_BUILD" -eq 1 ] || release_build notifier kafkawire
VENV="$ROOT/.build/interop-venv"
"$VENV/bin/python" -c 'import confluent_kafka, kafka' 2>/dev/null || die "run scripts/test once first (it creates $VENV)"

printf '{"kind": "provenance", "commit": "%s", "uncommitted": "%s", "built": "%s", "cores": %s}\n' \
    "$COMMIT" "$DIRTY" "$(date -u -r "$ROOT/.build/release/notifier" +%FT%TZ)" "$(nproc)"
log "measuring commit $COMMIT${DIRTY:+ plus uncommitted changes to $DIRTY}"
WORK="${KEEP:-$(mktemp -d /tmp/notifier-bench.XXXXXX)}"
mkdir -p "$WORK/bin" "$WORK/data"
cp "$ROOT/.build/release/notifier" "$ROOT/.build/release/kafkawire" "$WORK/bin/"

BROKER_PID=""
RECEIVER_PID=""
PG_STARTED=0
cleanup() {
    [ "$PG_STARTED" -eq 1 ] && stop_test_postgres
    [ -n "$RECEIVER_PID" ] && kill "$RECEIVER_PID" 2>/dev/null || true
    [ -n "$BROKER_PID" ] && kill "$BROKER_PID" 2>/dev/null || true
    [ -n "$RECEIVER_PID" ] && wait "$RECEIVER_PID" 2>/dev/null || true
    [ -n "$BROKER_PID" ] && wait "$BROKER_PID" 2>/dev/null || true
    [ -n "$KEEP" ] || rm -rf "$WORK"
}
trap cleanup EXIT


PORT="$(free_port)"
BROKER="127.0.0.1:$PORT"
"$WORK/bin/kafkawire" broker --listen "$BROKER" --data-dir "$WORK/data" --log-level warning </dev/null >"$WORK/broker.log" 2>&1 &
BROKER_PID=$!
wait_port "$PORT" || die "the broker did not start (see $WORK/broker.log)"
"$WORK/bin/kafkawire" topics create orders.events --brokers "$BROKER" --partitions "$PARTITIONS" \
    --config retention.ms=-1 --config retention.bytes=-1 --config cleanup.policy=delete >&2 || die "creating the topic failed"
log "generating $ORDERS orders x 10 events over $PARTITIONS partitions (by key)"
"$VENV/bin/python" "$HERE/../order-command/generate_events.py" --bootstrap "$BROKER" --topic orders.events \
    --orders "$ORDERS" --partitions "$PARTITIONS" >&2
if [ "$LIMITS" -eq 1 ]; then
    "$WORK/bin/kafkawire" topics create orders.limits --brokers "$BROKER" --partitions "$PARTITIONS" \
        --config retention.ms=-1 --config retention.bytes=-1 --config cleanup.policy=delete >&2 || die "creating the topic failed"
    log "generating $LIMIT_ORDERS orders x 10 events into orders.limits (for --limits)"
    "$VENV/bin/python" "$HERE/../order-command/generate_events.py" --bootstrap "$BROKER" --topic orders.limits \
        --orders "$LIMIT_ORDERS" --partitions "$PARTITIONS" >&2
fi

# The webhook receiver: not our code, and fast.
HOOK_PORT="$(free_port)"
if [ "$PY_RECEIVER" -eq 0 ] && ! command -v nginx >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing nginx-light for the webhook receiver"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >&2 </dev/null || true
fi
if [ "$PY_RECEIVER" -eq 0 ] && command -v nginx >/dev/null; then
    RECEIVER="nginx $(nginx -v 2>&1 | sed 's|.*nginx/||'), 1 worker"
    mkdir -p "$WORK/nginx/tmp"
    cat >"$WORK/nginx/nginx.conf" <<EOF
daemon off;
master_process off;
worker_processes 1;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $WORK/nginx/tmp/body;
    proxy_temp_path $WORK/nginx/tmp/proxy;
    fastcgi_temp_path $WORK/nginx/tmp/fastcgi;
    uwsgi_temp_path $WORK/nginx/tmp/uwsgi;
    scgi_temp_path $WORK/nginx/tmp/scgi;
    keepalive_requests 10000000;
    keepalive_timeout 300s;
    server {
        listen 127.0.0.1:$HOOK_PORT;
        location /hook { return 200; }
        location / { return 404; }
    }
}
EOF
    nginx -p "$WORK/nginx" -e "$WORK/nginx/error.log" -c "$WORK/nginx/nginx.conf" </dev/null >"$WORK/nginx/stdout.log" 2>&1 &
    RECEIVER_PID=$!
else
    RECEIVER="python ThreadingHTTPServer (nginx not available)"
    cat >"$WORK/receiver.py" <<'EOF'
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

class Hook(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200 if self.path == "/hook" else 404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass

ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Hook).serve_forever()
EOF
    python3 "$WORK/receiver.py" "$HOOK_PORT" </dev/null >"$WORK/receiver.log" 2>&1 &
    RECEIVER_PID=$!
fi
wait_port "$HOOK_PORT" || die "the webhook receiver did not start"
code="$(curl -s -o /dev/null -w '%{http_code}' -X POST --data '{}' "http://127.0.0.1:$HOOK_PORT/hook")"
[ "$code" = 200 ] || die "the webhook receiver answered $code to a POST"

log "receiver: $RECEIVER; NOTIFIER_CONCURRENCY=$CONCURRENCY; $RUNS runs; $(nproc) cores"
BENCH=("$VENV/bin/python" "$HERE/bench.py" --bootstrap "$BROKER" --notifier "$WORK/bin/notifier"
       --kafkawire "$WORK/bin/kafkawire" --partitions "$PARTITIONS" --webhook-url "http://127.0.0.1:$HOOK_PORT/hook"
       --receiver "$RECEIVER" --concurrency "$CONCURRENCY"
       --work "$WORK" --broker-pid "$BROKER_PID" --receiver-pid "$RECEIVER_PID")
if [ "$RUNS" -gt 0 ]; then "${BENCH[@]}" --topic orders.events --orders "$ORDERS" --runs "$RUNS"; fi
if [ "$LIMITS" -eq 1 ]; then
    log "limits: the file sink at NOTIFIER_CONCURRENCY $LIMIT_CONCURRENCY and the webhook at $CONCURRENCY, on $LIMIT_ORDERS orders"
    extra=()
    [ "$PERF" -eq 1 ] && extra+=(--perf)
    if [ "$POSTGRES" -eq 1 ]; then
        start_bench_postgres
        PG_STARTED=1
        trap cleanup EXIT  # start_test_postgres set its own
        log "PostgreSQL ($BENCH_PG_LABEL) for one more file-sink run"
        extra+=(--postgres-url "$ORDERS_TEST_DATABASE_URL" --psql "$ORDERS_TEST_PSQL")
    fi
    "${BENCH[@]}" --topic orders.limits --orders "$LIMIT_ORDERS" --limits --limit-concurrency "$LIMIT_CONCURRENCY" "${extra[@]}"
fi
