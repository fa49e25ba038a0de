"""The system as docker-compose.yml configures it, without containers: each service its own OS
process with the environment the compose file gives it, host names and all.

- The host names (kafka1, postgres, order-command-1, ...) resolve to loopback addresses, one per
  service, through scripts/with-compose-hosts (scripts/test runs the interop suite through it).
  Outside it, `require_compose_hosts` fails with what to do instead.
- One dev broker stands in for the three Kafka nodes (their names share its address) and
  advertises kafka1:9092, the compose network's address; the topics are created as the
  compose file's kafka-init job creates them.
- PostgreSQL is the test command's server, reached at postgres:5432 (the compose address)
  through a TCP forwarder, with the compose file's user and database.
- `service_env` is a service's `environment:` with ${VAR:-default} resolved; the one change is
  HTTP_LISTEN's 0.0.0.0, a container's every interface, which becomes the service's own
  loopback address (both OrderCommand instances listen on 8081, as in the compose file).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import threading
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from helpers import kafkawire_bin
from order_query import postgres_url

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
VARIABLE = re.compile(r"\$\{(\w+)(?::-([^}]*))?\}")


@cache
def compose_services() -> dict:
    """docker-compose.yml's services, read once (callers copy what they change)."""
    return yaml.safe_load(COMPOSE_FILE.read_text())["services"]


def resolve(value: str, variables: dict) -> str:
    """Compose's interpolation: ${NAME:-default} (the test's value, else the default), $$ -> $."""
    value = VARIABLE.sub(lambda m: str(variables.get(m[1], m[2] or "")), str(value))
    return value.replace("$$", "$")


def host_name(service: str) -> str:
    return compose_services()[service].get("hostname", service)


def address_of(name: str) -> str:
    return socket.gethostbyname(name)


def require_compose_hosts() -> None:
    """Fails (never skips) when the compose file's host names do not resolve to loopback."""
    for service in compose_services():
        try:
            address = address_of(host_name(service))
        except OSError:
            address = None
        if address is None or not address.startswith("127."):
            pytest.fail(f"the host name {host_name(service)!r} of docker-compose.yml does not resolve to a loopback "
                        f"address ({address}): run the interop suite through scripts/with-compose-hosts, as scripts/test does",
                        pytrace=False)


def service_env(service: str, variables: dict) -> dict:
    env = {k: resolve(v, variables) for k, v in compose_services()[service].get("environment", {}).items()}
    if "HTTP_LISTEN" in env:
        host, _, port = env["HTTP_LISTEN"].rpartition(":")
        assert host == "0.0.0.0", env["HTTP_LISTEN"]
        env["HTTP_LISTEN"] = f"{address_of(host_name(service))}:{port}"
    return env


def listen_port(env: dict) -> int:
    return int(env["HTTP_LISTEN"].rpartition(":")[2])


def create_topics_as_kafka_init(bootstrap: str) -> None:
    """What the compose file's kafka-init job does (Tests/compose/docker-compose.smoke.yml's
    stand-in for it: the same topics, partitions and retention, through kafkawire)."""
    for topic in ("orders.events", "orders.notifications", "orders.notifications.dlq"):
        subprocess.run([kafkawire_bin(), "topics", "create", topic, "--brokers", bootstrap, "--partitions", "6",
                        "--config", "retention.ms=-1", "--config", "retention.bytes=-1"],
                       check=True, capture_output=True, timeout=60)


def prepare_compose_database(variables: dict) -> str:
    """The compose file's PostgreSQL user and database (POSTGRES_USER / POSTGRES_DB, as the
    official image creates them) on the test server, empty; returns the server's host and port."""
    postgres = compose_services()["postgres"]["environment"]
    user, database = resolve(postgres["POSTGRES_USER"], variables), resolve(postgres["POSTGRES_DB"], variables)
    password = resolve(postgres["POSTGRES_PASSWORD"], variables)
    server = urlsplit(postgres_url())
    psql = os.environ.get("ORDERS_TEST_PSQL", "psql")
    subprocess.run([psql, "-h", server.hostname, "-p", str(server.port), "-U", "postgres", "-d", "postgres",
                    "-v", "ON_ERROR_STOP=1",
                    "-c", f"DROP DATABASE IF EXISTS {database} WITH (FORCE)",
                    "-c", f"DROP ROLE IF EXISTS {user}",
                    "-c", f"CREATE ROLE {user} LOGIN PASSWORD '{password}'",
                    "-c", f"CREATE DATABASE {database} OWNER {user}"],
                   check=True, capture_output=True)
    return f"{server.hostname}:{server.port}"


class TcpForwarder:
    """Accepts on (host, port) and pipes every connection to target: the test's PostgreSQL
    server at the compose file's postgres:5432."""

    def __init__(self, host: str, port: int, target: str):
        target_host, _, target_port = target.rpartition(":")
        self.target = (target_host, int(target_port))
        self.listener = socket.create_server((host, port))
        self.closed = False
        self.connections: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.closed:
            try:
                client, _ = self.listener.accept()
                upstream = socket.create_connection(self.target, timeout=10)
                upstream.settimeout(None)
            except OSError:
                continue
            self.connections += [client, upstream]
            threading.Thread(target=self._pipe, args=(client, upstream), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        for s in (source, sink):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def close(self) -> None:
        self.closed = True
        self.listener.close()
        for s in self.connections:
            try:
                s.close()
            except OSError:
                pass
