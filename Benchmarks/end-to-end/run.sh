#!/usr/bin/env bash
# End-to-end benchmark (issue 9): the whole system, in the embedded single process and as
# separate processes, on the same machine, one topology after the other in each run.
#
#   Benchmarks/end-to-end/run.sh [--runs 3] [--rate 1000] [--duration 20] [--skip-build] [--keep DIR] [--pg-fast]
#                                [--python-generator]
#
# The accepted-to-visible latency is measured by the project's native load generator
# (`load-generator`, Benchmarks/LoadGenerator); --python-generator uses
# Benchmarks/order-query/visible_latency.py instead, as before issue 27.
#
# PostgreSQL runs with its stock durability (fsync=on, synchronous_commit=on), its settings
# printed as the first JSON line; --pg-fast: fsync=off, labelled.
#
# Builds orders, order-command, order-query, notifier, kafkawire and load-generator in release (under flock
# /tmp/swift-build.lock). Per run and topology, a fresh system:
#   embedded   `orders up` (dev broker, OrderCommand, OrderQuery on SQLite, notifier with log and
#              file sinks, in one process), on free ports, a fresh data directory;
#   separate   `kafkawire broker`, `order-command`, `order-query` and `notifier`, each its own
#              process; OrderQuery and the notifier share one fresh PostgreSQL database (a
#              throwaway server, scripts/lib/test-postgres.sh), each in its schema, as in
#              docker-compose.yml; the notifier writes to a file sink.
# Then bench.py: accepted-to-visible latency at --rate commands/s, then the sustained rate
# (wrk at full speed, until the read model has caught up). One JSON line per run and topology;
# the medians go to BENCHMARKS.md.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$ROOT"

RUNS=3
RATE=1000
DURATION=20
SKIP_BUILD=0
KEEP=""
GENERATOR=swift
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) RUNS="$2"; shift 2 ;;
        --rate) RATE="$2"; shift 2 ;;
        --duration) DURATION="$2"; shift 2 ;;
        --skip-build) SKIP_BUILD=1; shift ;;
        --keep) KEEP="$2"; shift 2 ;;
        --pg-fast) export BENCH_PG_FAST=1; shift ;;
        --python-generator) GENERATOR=python; shift ;;
        *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'end-to-end bench: ERROR: %s\n' "$*" >&2; exit 1; }
# shellcheck source=../lib.sh
. "$HERE/../lib.sh"

command -v wrk >/dev/null || die "wrk is not installed (apt-get install wrk)"
[ "$SKIP_BUILD" -eq 1 ] || release_build orders order-command order-query notifier kafkawire load-generator
VENV="$ROOT/.build/interop-venv"
[ -x "$VENV/bin/python" ] || die "run scripts/test once first (it creates $VENV)"

WORK="${KEEP:-$(mktemp -d /tmp/end-to-end-bench.XXXXXX)}"
mkdir -p "$WORK/bin"
for product in orders order-command order-query notifier kafkawire load-generator; do
    cp "$ROOT/.build/release/$product" "$WORK/bin/" || die "no release build of $product (drop --skip-build)"
done

start_bench_postgres
PIDS=()
stop_all() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    PIDS=()
}
cleanup() {
    stop_all
    stop_test_postgres
    [ -n "$KEEP" ] || rm -rf "$WORK"
}
trap cleanup EXIT


embedded() {  # run
    local kport cport qport nport
    kport="$(free_port)"; cport="$(free_port)"; qport="$(free_port)"; nport="$(free_port)"
    "$WORK/bin/orders" up --data-dir "$WORK/embedded-$1" --log-level warning --no-console \
        --kafka-bootstrap-servers "127.0.0.1:$kport" --command-url "http://127.0.0.1:$cport" \
        --query-url "http://127.0.0.1:$qport" --notifier-url "http://127.0.0.1:$nport" \
        </dev/null >"$WORK/embedded-$1.log" 2>&1 &
    PIDS+=($!)
    for port in "$cport" "$qport" "$nport"; do wait_ready "http://127.0.0.1:$port" "orders up (port $port)"; done
    "$VENV/bin/python" "$HERE/bench.py" --topology embedded --command-url "http://127.0.0.1:$cport" \
        --query-url "http://127.0.0.1:$qport" --rate "$RATE" --duration "$DURATION" --prefix "emb$1" \
        --generator "$GENERATOR" --load-generator "$WORK/bin/load-generator"
    stop_all
}

separate() {  # run
    local kport cport qport nport db url
    kport="$(free_port)"; cport="$(free_port)"; qport="$(free_port)"; nport="$(free_port)"
    db="e2e_bench_$1"
    "$ORDERS_TEST_PSQL" "$ORDERS_TEST_DATABASE_URL" -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >&2
    url="${ORDERS_TEST_DATABASE_URL%/*}/$db"
    "$WORK/bin/kafkawire" broker --listen "127.0.0.1:$kport" --data-dir "$WORK/broker-$1" --log-level warning \
        </dev/null >"$WORK/broker-$1.log" 2>&1 &
    PIDS+=($!)
    wait_port "$kport" || die "the broker does not listen on $kport"
    export KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:$kport" LOG_LEVEL=warning
    HTTP_LISTEN="127.0.0.1:$cport" "$WORK/bin/order-command" </dev/null >"$WORK/order-command-$1.log" 2>&1 &
    PIDS+=($!)
    wait_ready "http://127.0.0.1:$cport" order-command  # it creates orders.events
    HTTP_LISTEN="127.0.0.1:$qport" DATABASE_URL="$url" "$WORK/bin/order-query" </dev/null >"$WORK/order-query-$1.log" 2>&1 &
    PIDS+=($!)
    HTTP_LISTEN="127.0.0.1:$nport" DATABASE_URL="$url" NOTIFIER_SINKS="file:$WORK/notifications-$1.jsonl" \
        "$WORK/bin/notifier" </dev/null >"$WORK/notifier-$1.log" 2>&1 &
    PIDS+=($!)
    wait_ready "http://127.0.0.1:$qport" order-query
    wait_ready "http://127.0.0.1:$nport" notifier
    unset KAFKA_BOOTSTRAP_SERVERS LOG_LEVEL
    "$VENV/bin/python" "$HERE/bench.py" --topology separate --command-url "http://127.0.0.1:$cport" \
        --query-url "http://127.0.0.1:$qport" --rate "$RATE" --duration "$DURATION" --prefix "sep$1" \
        --generator "$GENERATOR" --load-generator "$WORK/bin/load-generator"
    stop_all
}

log "$RUNS runs, $RATE commands/s for ${DURATION}s ($GENERATOR generator), then wrk at full speed; PostgreSQL ($BENCH_PG_LABEL)"
for run in $(seq "$RUNS"); do
    # Alternate which topology goes first, so a drift of the shared machine does not favour one.
    if [ $((run % 2)) = 1 ]; then embedded "$run"; separate "$run"; else separate "$run"; embedded "$run"; fi
done
