#!/usr/bin/env bash
# The console's benchmark (issue 26): how many events/s its live log page keeps up with in
# headless Chromium, and the time from a command's answer to its row in the page.
#
#   Benchmarks/console/run.sh [--runs 3] [--rates 1000,5000] [--duration 20] [--commands 300] [--skip-build]
#
# Builds console, order-command and kafkawire in release (under flock /tmp/swift-build.lock).
# Per run, a fresh system of separate processes on free ports: `kafkawire broker`,
# `order-command` (it creates orders.events, 6 partitions) and `console`; then bench.py
# (selenium and confluent-kafka from the interop venv, Debian's chromium and chromedriver).
# One JSON line per run; the medians go to BENCHMARKS.md.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$ROOT"

RUNS=3
RATES=1000,5000
DURATION=20
COMMANDS=300
SKIP_BUILD=0
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) RUNS="$2"; shift 2 ;;
        --rates) RATES="$2"; shift 2 ;;
        --duration) DURATION="$2"; shift 2 ;;
        --commands) COMMANDS="$2"; shift 2 ;;
        --skip-build) SKIP_BUILD=1; shift ;;
        *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'console bench: ERROR: %s\n' "$*" >&2; exit 1; }
# shellcheck source=../lib.sh
. "$HERE/../lib.sh"

[ "$SKIP_BUILD" -eq 1 ] || release_build console order-command kafkawire
VENV="$ROOT/.build/interop-venv"
[ -x "$VENV/bin/python" ] || die "run scripts/test once first (it creates $VENV with selenium and confluent-kafka)"
command -v chromium >/dev/null && command -v chromedriver >/dev/null || die "chromium and chromium-driver are not installed (scripts/test installs them)"

WORK="$(mktemp -d /tmp/console-bench.XXXXXX)"
mkdir -p "$WORK/bin"
for product in console order-command kafkawire; do
    cp "$ROOT/.build/release/$product" "$WORK/bin/" || die "no release build of $product (drop --skip-build)"
done
PIDS=()
stop_all() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    PIDS=()
}
trap 'stop_all; rm -rf "$WORK"' EXIT

for run in $(seq "$RUNS"); do
    kport="$(free_port)"; cport="$(free_port)"; wport="$(free_port)"
    "$WORK/bin/kafkawire" broker --listen "127.0.0.1:$kport" --data-dir "$WORK/broker-$run" >"$WORK/broker-$run.log" 2>&1 &
    PIDS+=($!)
    wait_port "$kport" || die "the broker did not listen"
    KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:$kport" HTTP_LISTEN="127.0.0.1:$cport" LOG_LEVEL=warning \
        "$WORK/bin/order-command" >"$WORK/order-command-$run.log" 2>&1 &
    PIDS+=($!)
    wait_ready "http://127.0.0.1:$cport" "order-command"
    KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:$kport" HTTP_LISTEN="127.0.0.1:$wport" LOG_LEVEL=warning \
        ORDERS_COMMAND_URL="http://127.0.0.1:$cport" "$WORK/bin/console" >"$WORK/console-$run.log" 2>&1 &
    PIDS+=($!)
    wait_ready "http://127.0.0.1:$wport" "console"
    log "run $run: broker :$kport, order-command :$cport, console :$wport"
    "$VENV/bin/python" "$HERE/bench.py" --console "http://127.0.0.1:$wport" --bootstrap "127.0.0.1:$kport" \
        --command-port "$cport" --rates "$RATES" --duration "$DURATION" --commands "$COMMANDS"
    stop_all
done
