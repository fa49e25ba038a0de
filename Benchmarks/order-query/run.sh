#!/usr/bin/env bash
# OrderQuery benchmark: fold rate on PostgreSQL against COPY of the same rows, rebuild time and memory.
#
#   Benchmarks/order-query/run.sh [--runs 3] [--orders 100000] [--rate 1000] [--skip-build] [--keep DIR]
#                                 [--fold-only] [--staggered] [--partitions 1] [--pg-fast]
#                                 [--group-delay-ms 0]
#
# PostgreSQL runs with its stock durability (fsync=on, synchronous_commit=on; --pg-fast:
# fsync=off, labelled), its settings printed as the first JSON line. --partitions N spreads the
# orders over an N-partition topic by their keys' murmur2, as order-command does. The broker's
# group.initial.rebalance.delay.ms is 0, as docker-compose.yml and Kafka's own
# config/server.properties (for development) set it; --group-delay-ms 3000 is Kafka's built-in
# default, recommended for production, which every consumer group's cold start then waits out.
#
# Builds order-query and kafkawire in release (under flock /tmp/swift-build.lock), starts a
# throwaway PostgreSQL (scripts/lib/test-postgres.sh) and a dev broker, fills a 1-partition
# topic with --orders x 10 events (../order-command/generate_events.py: valid events as
# order-command writes them; 1,000 orders under way in blocks, or with --staggered each followed
# by the next as soon as it ends, as a busy log has them), then bench.py --runs times: a fresh database, the live fold, a
# rebuild into a new generation, and the peer, COPY of the same rows into the same database.
# Then, --runs times, command accepted to visible at --rate commands/s (visible_latency.py:
# release order-command and order-query on a 6-partition orders.events, a fresh database),
# with order-query's /health/live latency in the same run. One JSON line per run; medians go
# to BENCHMARKS.md.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$ROOT"

RUNS=3
ORDERS=100000
RATE=1000
SKIP_BUILD=0
KEEP=""
FOLD_ONLY=0
STAGGERED=()
PARTITIONS=1
GROUP_DELAY_MS=0
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) RUNS="$2"; shift 2 ;;
        --orders) ORDERS="$2"; shift 2 ;;
        --rate) RATE="$2"; shift 2 ;;
        --skip-build) SKIP_BUILD=1; shift ;;
        --keep) KEEP="$2"; shift 2 ;;
        --fold-only) FOLD_ONLY=1; shift ;;
        --staggered) STAGGERED=(--staggered); shift ;;
        --partitions) PARTITIONS="$2"; shift 2 ;;
        --pg-fast) export BENCH_PG_FAST=1; shift ;;
        --group-delay-ms) GROUP_DELAY_MS="$2"; shift 2 ;;
        *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'order-query bench: ERROR: %s\n' "$*" >&2; exit 1; }
# shellcheck source=../lib.sh
. "$HERE/../lib.sh"

[ "$SKIP_BUILD" -eq 1 ] || release_build order-query order-command kafkawire
VENV="$ROOT/.build/interop-venv"
"$VENV/bin/python" -c 'import confluent_kafka' 2>/dev/null || die "run scripts/test once first (it creates $VENV)"

WORK="${KEEP:-$(mktemp -d /tmp/order-query-bench.XXXXXX)}"
mkdir -p "$WORK/bin" "$WORK/data"
cp "$ROOT/.build/release/order-query" "$ROOT/.build/release/order-command" "$ROOT/.build/release/kafkawire" "$WORK/bin/"

# As PostgreSQL's advice for bulk loads: WAL enough that no checkpoint starts inside a timed
# phase (bench.py also checkpoints before each); with the default 1 GB, one fell at random in
# the live fold, the rebuild or the peer's COPY (each writes about 500 MB of WAL).
start_bench_postgres max_wal_size=8GB checkpoint_timeout=30min
BROKER_PID=""
SERVICE_PIDS=()
cleanup() {
    for pid in "${SERVICE_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    [ -n "$BROKER_PID" ] && kill "$BROKER_PID" 2>/dev/null || true
    stop_test_postgres
    [ -n "$KEEP" ] || rm -rf "$WORK"
}
trap cleanup EXIT

PORT="$(free_port)"
BROKER="127.0.0.1:$PORT"
"$WORK/bin/kafkawire" broker --listen "$BROKER" --data-dir "$WORK/data" --log-level warning \
    --group-initial-rebalance-delay-ms "$GROUP_DELAY_MS" </dev/null >"$WORK/broker.log" 2>&1 &
BROKER_PID=$!
wait_port "$PORT" || die "the broker does not listen on $PORT"
"$WORK/bin/kafkawire" topics create rebuild.events --brokers "$BROKER" --partitions "$PARTITIONS" \
    --config retention.ms=-1 --config retention.bytes=-1 --config cleanup.policy=delete >&2 || die "creating the topic failed"
log "generating $ORDERS orders x 10 events ${STAGGERED[*]:-in blocks} on $PARTITIONS partition(s)"
SPREAD=()
[ "$PARTITIONS" -eq 1 ] || SPREAD=(--partitions "$PARTITIONS")
"$VENV/bin/python" "$HERE/../order-command/generate_events.py" --bootstrap "$BROKER" --topic rebuild.events --orders "$ORDERS" \
    "${STAGGERED[@]}" "${SPREAD[@]}" >&2
log "PostgreSQL ($BENCH_PG_LABEL), $RUNS runs, group delay $GROUP_DELAY_MS ms"
"$VENV/bin/python" "$HERE/bench.py" --bootstrap "$BROKER" --database-url "$ORDERS_TEST_DATABASE_URL" \
    --order-query "$WORK/bin/order-query" --psql "$ORDERS_TEST_PSQL" --topic rebuild.events --runs "$RUNS" --work "$WORK" --partitions "$PARTITIONS" \
    --postmaster-pid "$TEST_PG_DIR/data/postmaster.pid"

[ "$FOLD_ONLY" -eq 0 ] || exit 0
for run in $(seq "$RUNS"); do
    db="oq_latency_$run"
    "$ORDERS_TEST_PSQL" "$ORDERS_TEST_DATABASE_URL" -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >&2
    cport="$(free_port)"; qport="$(free_port)"
    KAFKA_BOOTSTRAP_SERVERS="$BROKER" HTTP_LISTEN="127.0.0.1:$cport" GROUP_ID="oc-$run" LOG_LEVEL=warning \
        "$WORK/bin/order-command" >"$WORK/order-command-latency-$run.log" 2>&1 &
    SERVICE_PIDS+=($!)
    KAFKA_BOOTSTRAP_SERVERS="$BROKER" HTTP_LISTEN="127.0.0.1:$qport" GROUP_ID="oq-latency-$run" LOG_LEVEL=warning \
        DATABASE_URL="${ORDERS_TEST_DATABASE_URL%/*}/$db" "$WORK/bin/order-query" >"$WORK/order-query-latency-$run.log" 2>&1 &
    SERVICE_PIDS+=($!)
    wait_ready "http://127.0.0.1:$cport" order-command
    wait_ready "http://127.0.0.1:$qport" order-query
    "$VENV/bin/python" "$HERE/visible_latency.py" --command-url "http://127.0.0.1:$cport" \
        --query-url "http://127.0.0.1:$qport" --rate "$RATE" --duration 20 --warmup 3 --prefix "run$run"
    for pid in "${SERVICE_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${SERVICE_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    SERVICE_PIDS=()
done
