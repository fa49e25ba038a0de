# What the benchmark scripts share; each sources it after defining log() and die().
#   release_build PRODUCT...   swift build -c release of each, under flock $SWIFT_BUILD_LOCK
#                              (default /tmp/swift-build.lock; "" builds without the lock)
#   free_port                  a free TCP port on 127.0.0.1
#   wait_port PORT             until something accepts on 127.0.0.1:PORT (60 s), else fails
#   wait_ready URL WHAT        until URL/health/ready answers 2xx (120 s), else dies
#   start_bench_postgres [SETTING=VALUE...]
#                              the throwaway PostgreSQL (scripts/lib/test-postgres.sh) with the
#                              server's stock durability: fsync=on, synchronous_commit=on,
#                              full_page_writes=on (the test suite runs with fsync=off). With
#                              BENCH_PG_FAST=1 (each run.sh's --pg-fast) fsync=off and
#                              synchronous_commit=off instead, labelled "fast". Prints the
#                              server's effective settings as one JSON line on stdout
#                              ({"kind": "postgres", ...}) so that every result states them.

SWIFT_BUILD_LOCK="${SWIFT_BUILD_LOCK-/tmp/swift-build.lock}"

release_build() {
    local product
    for product in "$@"; do
        log "swift build -c release --product $product"
        if [ -n "$SWIFT_BUILD_LOCK" ]; then flock "$SWIFT_BUILD_LOCK" swift build -c release --product "$product" >&2 </dev/null
        else swift build -c release --product "$product" >&2 </dev/null; fi || die "release build of $product failed"
    done
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

wait_port() { for _ in $(seq 600); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }

wait_ready() {
    for _ in $(seq 1200); do curl -sf "$1/health/ready" >/dev/null 2>&1 && return 0; sleep 0.1; done
    die "$2 did not become ready"
}

start_bench_postgres() {
    # shellcheck source=../scripts/lib/test-postgres.sh
    . "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/test-postgres.sh"
    local pg_bin durability
    pg_bin="$(pg_bindir)" || die "PostgreSQL is not installed (apt-get install postgresql)"
    if [ "${BENCH_PG_FAST:-0}" = 1 ]; then
        durability=(fsync=off synchronous_commit=off); BENCH_PG_LABEL="fast: fsync=off, synchronous_commit=off"
    else
        durability=(fsync=on synchronous_commit=on full_page_writes=on); BENCH_PG_LABEL="stock durability: fsync=on, synchronous_commit=on"
    fi
    # Later settings win: these override test-postgres.sh's fsync=off.
    start_test_postgres "$pg_bin" "${durability[@]}" "$@" || die "PostgreSQL did not start"
    export BENCH_PG_LABEL
    "$ORDERS_TEST_PSQL" "$ORDERS_TEST_DATABASE_URL" -qAt -c "SELECT json_build_object('kind', 'postgres',
        'version', current_setting('server_version'), 'label', '$BENCH_PG_LABEL',
        'settings', json_object_agg(name, setting || coalesce(unit, '')))
        FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'wal_level',
        'max_wal_size', 'checkpoint_timeout', 'shared_buffers', 'work_mem')" || die "PostgreSQL does not answer"
}
