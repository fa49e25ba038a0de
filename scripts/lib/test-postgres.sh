# A throwaway PostgreSQL server for the tests and benchmarks (sourced by scripts/test and
# Benchmarks/order-query/run.sh).
#
#   pg_bindir                     prints the directory of initdb and pg_ctl (Debian's postgresql
#                                 package, or PATH); fails when they are missing
#   start_test_postgres [--tls] BINDIR [SETTING...]
#                                 starts a server of its own on a free 127.0.0.1 port (trust auth,
#                                 fsync off, data in a temporary directory, plus each SETTING as
#                                 `name=value`), stopped and removed
#                                 when the shell exits; exports ORDERS_TEST_DATABASE_URL and
#                                 ORDERS_TEST_PSQL. initdb refuses to run as root, so as root the
#                                 server runs as the postgres user (created when missing).
#                                 --tls: the server also offers TLS, with a certificate for
#                                 DNS:localhost only from scripts/make-test-certs' CA, and the role
#                                 "test-client" logs in over TLS by its client certificate only;
#                                 exports ORDERS_TEST_PG_CERTS (the directory of ca.pem,
#                                 other-ca.pem, client.pem, client.key...). Plaintext still works.

pg_bindir() {
    local dir
    for dir in /usr/lib/postgresql/*/bin; do
        [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && { echo "$dir"; return 0; }
    done
    command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
    return 1
}

_pg_as() {
    if [ "$(id -u)" -eq 0 ]; then
        id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres || return 1
        chown -R postgres "$TEST_PG_DIR"
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

stop_test_postgres() {
    [ -n "${TEST_PG_DIR:-}" ] || return 0
    _pg_as "$TEST_PG_BIN/pg_ctl" -D "$TEST_PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$TEST_PG_DIR"
    TEST_PG_DIR=""
}

start_test_postgres() {
    local tls=""
    if [ "${1:-}" = "--tls" ]; then tls=1; shift; fi
    TEST_PG_BIN="$1"
    shift
    local settings="" setting
    for setting in "$@"; do settings="$settings -c $setting"; done
    TEST_PG_DIR="$(mktemp -d /tmp/orders-test-pg.XXXXXX)"
    local port
    port="$("${PYTHON:-python3}" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    trap stop_test_postgres EXIT
    chmod 755 "$TEST_PG_DIR"
    if ! _pg_as "$TEST_PG_BIN/initdb" -D "$TEST_PG_DIR/data" --auth=trust --username=postgres --encoding=UTF8 \
            --locale=C.UTF-8 >"$TEST_PG_DIR/initdb.log" 2>&1; then
        cat "$TEST_PG_DIR/initdb.log" >&2
        return 1
    fi
    if [ -n "$tls" ]; then
        "$(dirname "${BASH_SOURCE[0]}")/../make-test-certs" --hosts localhost "$TEST_PG_DIR/certs" >/dev/null || return 1
        settings="$settings -c ssl=on -c ssl_cert_file=$TEST_PG_DIR/certs/broker.pem"
        settings="$settings -c ssl_key_file=$TEST_PG_DIR/certs/broker.key -c ssl_ca_file=$TEST_PG_DIR/certs/ca.pem"
        # First match wins: this role only over TLS, by its certificate (CN test-client).
        { echo 'hostssl all test-client 127.0.0.1/32 cert'; echo 'host all test-client 0.0.0.0/0 reject'
          cat "$TEST_PG_DIR/data/pg_hba.conf"; } >"$TEST_PG_DIR/pg_hba.conf.new"
        mv "$TEST_PG_DIR/pg_hba.conf.new" "$TEST_PG_DIR/data/pg_hba.conf"
    fi
    if ! _pg_as "$TEST_PG_BIN/pg_ctl" -D "$TEST_PG_DIR/data" -l "$TEST_PG_DIR/server.log" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -p $port -k $TEST_PG_DIR -c max_connections=300 -c fsync=off$settings" start >/dev/null; then
        cat "$TEST_PG_DIR/server.log" >&2
        return 1
    fi
    if [ -n "$tls" ]; then
        _pg_as "$TEST_PG_BIN/psql" -h "$TEST_PG_DIR" -p "$port" -U postgres -qAt -c 'CREATE ROLE "test-client" LOGIN' postgres \
            >/dev/null || return 1
        export ORDERS_TEST_PG_CERTS="$TEST_PG_DIR/certs"
    fi
    export ORDERS_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
    export ORDERS_TEST_PSQL="$TEST_PG_BIN/psql"
}
