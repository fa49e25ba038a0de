#!/usr/bin/env bash
# OrderQuery benchmark: fold rate on PostgreSQL against COPY of the same rows, rebuild time and memory.
#
#   Benchmarks/order-query/run.sh [--runs 3] [--orders 100000] [--skip-build] [--keep DIR]
#
# Builds order-query and kafkawire in release (under flock /tmp/swift-build.lock), starts a
# throwaway PostgreSQL (scripts/lib/test-postgres.sh) and a dev broker, fills a 1-partition
# topic with --orders x 10 events (../order-command/generate_events.py: valid events as
# order-command writes them), then bench.py --runs times: a fresh database, the live fold, a
# rebuild into a new generation, and the peer, COPY of the same rows into the same database.
# Prints one JSON line per run; medians go to BENCHMARKS.md.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$ROOT"

RUNS=3
ORDERS=100000
SKIP_BUILD=0
KEEP=""
SWIFT_BUILD_LOCK="${SWIFT_BUILD_LOCK-/tmp/swift-build.lock}"
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) RUNS="$2"; shift 2 ;;
        --orders) ORDERS="$2"; shift 2 ;;
        --skip-build) SKIP_BUILD=1; shift ;;
        --keep) KEEP="$2"; shift 2 ;;
        *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'order-query bench: ERROR: %s\n' "$*" >&2; exit 1; }

if [ "$SKIP_BUILD" -eq 0 ]; then
    for product in order-query kafkawire; do
        log "swift build -c release --product $product"
        if [ -n "$SWIFT_BUILD_LOCK" ]; then flock "$SWIFT_BUILD_LOCK" swift build -c release --product "$product" >&2 </dev/null
        else swift build -c release --product "$product" >&2 </dev/null; fi || die "release build of $product failed"
    done
fi
VENV="$ROOT/.build/interop-venv"
"$VENV/bin/python" -c 'import confluent_kafka' 2>/dev/null || die "run scripts/test once first (it creates $VENV)"

WORK="${KEEP:-$(mktemp -d /tmp/order-query-bench.XXXXXX)}"
mkdir -p "$WORK/bin" "$WORK/data"
cp "$ROOT/.build/release/order-query" "$ROOT/.build/release/kafkawire" "$WORK/bin/"

# shellcheck source=../../scripts/lib/test-postgres.sh
. "$ROOT/scripts/lib/test-postgres.sh"
PG_BIN="$(pg_bindir)" || die "PostgreSQL is not installed (apt-get install postgresql)"
start_test_postgres "$PG_BIN" || die "PostgreSQL did not start"
BROKER_PID=""
cleanup() {
    [ -n "$BROKER_PID" ] && kill "$BROKER_PID" 2>/dev/null || true
    stop_test_postgres
    [ -n "$KEEP" ] || rm -rf "$WORK"
}
trap cleanup EXIT

PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
BROKER="127.0.0.1:$PORT"
"$WORK/bin/kafkawire" broker --listen "$BROKER" --data-dir "$WORK/data" --log-level warning </dev/null >"$WORK/broker.log" 2>&1 &
BROKER_PID=$!
for _ in $(seq 600); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done
"$WORK/bin/kafkawire" topics create rebuild.events --brokers "$BROKER" --partitions 1 \
    --config retention.ms=-1 --config retention.bytes=-1 --config cleanup.policy=delete >&2 || die "creating the topic failed"
log "generating $ORDERS orders x 10 events"
"$VENV/bin/python" "$HERE/../order-command/generate_events.py" --bootstrap "$BROKER" --topic rebuild.events --orders "$ORDERS" >&2
log "PostgreSQL $("$PG_BIN/pg_ctl" --version | awk '{print $NF}'), $RUNS runs"
"$VENV/bin/python" "$HERE/bench.py" --bootstrap "$BROKER" --database-url "$ORDERS_TEST_DATABASE_URL" \
    --order-query "$WORK/bin/order-query" --psql "$ORDERS_TEST_PSQL" --topic rebuild.events --runs "$RUNS" --work "$WORK"
