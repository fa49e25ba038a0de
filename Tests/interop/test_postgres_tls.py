"""TLS to PostgreSQL from the services, as a managed PostgreSQL requires it.

The test command's PostgreSQL offers TLS with a certificate for DNS:localhost only, from
scripts/make-test-certs' CA (`start_test_postgres --tls`, ORDERS_TEST_PG_CERTS); the role
"test-client" logs in by its client certificate only. Checked here with the real executables:
1. order-query and the notifier on `sslmode=verify-full` fold and serve, and every connection of
   theirs that the server sees is encrypted (pg_stat_ssl), including by client certificate alone.
2. A certificate that does not verify stops each service at start, with one clear reason and
   no retry loop hiding it (nothing listens at the Kafka address: the database comes first), and
   the URL's password never appears.
"""

from __future__ import annotations

import os
import secrets
import subprocess

import pytest

from helpers import free_port, wait_until
from order_command import Client
from order_query import History, create_topic, fresh_postgres_database, wait_caught_up

CERTS = os.environ.get("ORDERS_TEST_PG_CERTS")
pytestmark = pytest.mark.skipif(not CERTS, reason="needs start_test_postgres --tls (scripts/test starts it)")


def server() -> tuple[str, str]:
    """(host, port) of the test command's PostgreSQL."""
    host_port = os.environ["ORDERS_TEST_DATABASE_URL"].rsplit("/", 1)[0].split("@", 1)[1]
    host, port = host_port.split(":")
    return host, port


def psql(database: str, sql: str) -> str:
    host, port = server()
    return subprocess.run(
        [os.environ.get("ORDERS_TEST_PSQL", "psql"), "-h", host, "-p", port, "-U", "postgres", "-d", database,
         "-v", "ON_ERROR_STOP=1", "-qAtX", "-F", " ", "-c", sql],
        check=True, capture_output=True, text=True).stdout


def sessions() -> list[tuple[str, bool]]:
    """(user, encrypted) of every session the server has now in the tests' databases."""
    out = psql("postgres", "SELECT a.usename, s.ssl FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid) "
                           "WHERE a.datname LIKE 'tls_%'")
    return [(line.split()[0], line.split()[1] == "t") for line in out.splitlines() if line.strip()]


@pytest.mark.timeout(600)
def test_services_on_verify_full_fold_serve_and_every_connection_is_encrypted(broker, order_queries, notifiers):
    create_topic(broker.bootstrap, 3)
    _, port = server()
    full = f"sslmode=verify-full&sslrootcert={CERTS}/ca.pem"
    fresh_postgres_database("tls_order_query")
    oq = order_queries(broker, f"postgres://postgres@localhost:{port}/tls_order_query?{full}")
    # The notifier logs in as "test-client", which the server admits by its certificate only.
    fresh_postgres_database("tls_notifier")
    psql("tls_notifier", 'GRANT ALL ON DATABASE tls_notifier TO "test-client"')
    notifier = notifiers(broker, f"postgres://test-client@localhost:{port}/tls_notifier?{full}"
                                 f"&sslcert={CERTS}/client.pem&sslkey={CERTS}/client.key")

    history = History(broker.bootstrap, 3, seed=5)
    for n in range(30):
        history.lifecycle(f"tls-{n}", f"c-{n % 7}")
    history.flush()
    client = Client(oq.port, timeout=30)
    projection = wait_caught_up(client)
    assert sum(p["storedOffset"] for p in projection["partitions"]) == history.written
    assert client.request("GET", "/orders/tls-0").status == 200
    # The notifier's ledger is on the database too: its deliveries of these orders were stored.
    stored = lambda: int(psql("tls_notifier", "SELECT count(*) FROM information_schema.tables WHERE table_schema <> 'pg_catalog' "
                                              "AND table_schema <> 'information_schema'").strip() or 0)
    wait_until(lambda: stored() > 0, "the notifier's ledger tables", 90)

    seen = sessions()
    assert {"postgres", "test-client"} <= {user for user, _ in seen}, seen
    assert all(encrypted for _, encrypted in seen), f"a plaintext session: {seen}"


@pytest.mark.parametrize("query, host, says", [
    ("sslmode=verify-full&sslrootcert={certs}/ca.pem", "127.0.0.1", "handshake failed"),
    ("sslmode=verify-ca&sslrootcert={certs}/other-ca.pem", "localhost", "handshake failed"),
    ("sslmode=verify-full", "localhost", "needs a root certificate"),
    ("sslmode=verify-ca&sslrootcert=/nonexistent/ca.pem", "localhost", "sslrootcert=/nonexistent/ca.pem cannot be used"),
    # The server requires TLS of this role (hostssl only): its refusal, in its words.
    ("sslmode=disable", "localhost", "pg_hba.conf rejects connection"),
], ids=["name-not-in-certificate", "unrelated-ca", "no-root-certificate", "missing-root-file", "plaintext-refused"])
def test_a_database_tls_setting_that_cannot_work_stops_each_service_at_start(query, host, says):
    from service_process import service_bin
    password = f"pw-{secrets.token_hex(6)}"
    _, port = server()
    user = "test-client" if "disable" in query else "postgres"
    url = f"postgres://{user}:{password}@{host}:{port}/postgres?{query.format(certs=CERTS)}"
    env = {**os.environ, "KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{free_port()}", "DATABASE_URL": url, "HTTP_LISTEN": f"127.0.0.1:{free_port()}"}
    for name, variable in [("order-query", "ORDER_QUERY_BIN"), ("notifier", "NOTIFIER_BIN")]:
        proc = subprocess.run([service_bin(name, variable)], env=env, capture_output=True, timeout=60)
        output = (proc.stdout + proc.stderr).decode("utf-8", "replace")
        assert proc.returncode != 0, f"{name} started:\n{output[-2000:]}"
        assert says in output, f"{name}:\n{output[-2000:]}"
        assert password not in output, f"{name} shows the database password:\n{output[-2000:]}"
