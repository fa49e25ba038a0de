"""The `orders` command line, run as a user runs it: a child process, its stdout, its stderr and
its exit code, against the real services each in its own OS process (the dev broker over TCP,
order-command, order-query on PostgreSQL, the notifier with a file sink), configured only
through the environment the CLI documents. The end-to-end test runs twice: on free loopback
ports, and as docker-compose.yml configures the services (two order-command instances, the
compose file's environment and host names, mapped to loopback: compose_environment.py).

1. Every command end to end: orders placed and taken through their lifecycles (--json and
   human output), read-your-writes with --position, list / stats / customer against an
   independent fold of the log, `events` against the log read with confluent-kafka (a second
   writer's void events marked), `history` as of an offset and as of now, `rebuild` leaves
   the read model as it was, notifications in the ledger and the file sink, replays, lag.
2. Bad input: one line on stderr starting with "orders: ", exit 64; a service down: exit 69
   naming the service and the address tried; a refused command: exit 1 naming the rule or
   the current version, and nothing appended.
3. `orders demo` plays its whole scenario on its own embedded stack.
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import compose_environment as compose
from console import Console
from helpers import Broker, free_port, kafkawire_bin, port_accepts, wait_until
from notifier import Notifier, expected_notifications, read_jsonl
from order_command import Client, OrderCommand, end_offsets, fold_log, partition_of
from order_query import History, OrderQuery, expected_read_model, fresh_postgres_database
from orders_cli import OrdersCLI, cli_env, describe, error_line, orders_bin, run_orders

PARTITIONS = 6  # order-command's default ORDERS_PARTITIONS: it creates orders.events
REPO = Path(__file__).resolve().parents[2]
TOKEN = "cli-admin-token"
STATUSES = ("placed", "confirmed", "shipped", "delivered", "cancelled")
POSITION = re.compile(r"^(\d+):(\d+)$")
READ_MODEL_FIELDS = ["orderId", "customerId", "status", "currency", "items", "itemCount", "total", "version",
                     "placedAt", "updatedAt", "shipping", "cancelReason"]


# ------------------------------------------------------------------ the stack, each service its own process

@dataclass
class Stack:
    broker: object
    commands: list  # the OrderCommand instances (two in the compose topology)
    query: OrderQuery
    notifier: Notifier
    sink: Path
    clis: list  # the CLI, once per OrderCommand instance (ORDERS_COMMAND_URL); commands take turns
    console: object = None  # the web console, as the compose file configures it (compose only)

    @property
    def cli(self) -> OrdersCLI:
        return self.clis[0]


@pytest.fixture(params=["loopback", "loopback-sasl-ssl", "loopback-auth-tls", "compose"])
def stack(request, tmp_path) -> Stack:
    """The services, each its own OS process, and the CLI pointed at them.

    - loopback: order-command, order-query (PostgreSQL) and the notifier (a file sink,
      PostgreSQL ledger), each on a free 127.0.0.1 port, against a dev broker there.
    - loopback-sasl-ssl: the same with the dev broker requiring SASL_SSL and SCRAM-SHA-512 of
      the services and the CLI, each configured only through the KAFKA_SECURITY_PROTOCOL,
      KAFKA_SASL_* and KAFKA_SSL_* variables (the test's own log readers use a second, plaintext
      listener, as tools on the broker's host would).
    - loopback-auth-tls: the loopback stack with bearer-token authentication on (a staff token
      in ORDERS_TOKEN, minted by PyJWT; the admin routes by ADMIN_TOKEN) and PostgreSQL reached
      over TLS with sslmode=verify-full (the test server's CA, its host name localhost).
    - compose: docker-compose.yml's topology and environment (compose_environment.py): two
      order-command instances, order-query and the notifier sharing the compose database,
      every address a compose host name (kafka1:9092, postgres:5432, order-command-1:8081, ...)
      mapped to loopback by scripts/with-compose-hosts.
    """
    sink = tmp_path / "sink" / "notifications.jsonl"
    if request.param == "loopback":
        name = re.sub(r"\W", "_", request.node.name.lower())[-40:]
        broker = request.getfixturevalue("broker")
        oc = request.getfixturevalue("order_commands")(broker)  # first: it creates orders.events, which the others read
        oq = request.getfixturevalue("order_queries")(broker, fresh_postgres_database(f"oq_{name}"), env={"ADMIN_TOKEN": TOKEN})
        nt = request.getfixturevalue("notifiers")(broker, fresh_postgres_database(f"nt_{name}"),
                                                  env={"NOTIFIER_SINKS": f"file:{sink}", "ADMIN_TOKEN": TOKEN})
        cli = OrdersCLI({"ORDERS_COMMAND_URL": oc.url, "ORDERS_QUERY_URL": oq.url, "ORDERS_NOTIFIER_URL": nt.url,
                         "KAFKA_BOOTSTRAP_SERVERS": broker.bootstrap, "ADMIN_TOKEN": TOKEN})
        yield Stack(broker, [oc], oq, nt, sink, [cli])
        return
    if request.param == "loopback-auth-tls":
        yield from auth_tls_stack(request, tmp_path, sink)
        return
    if request.param == "loopback-sasl-ssl":
        yield from sasl_ssl_stack(request, tmp_path, sink)
        return
    yield from compose_stack(request, tmp_path, sink)


def auth_tls_stack(request, tmp_path, sink):
    """The loopback stack with authentication on and PostgreSQL over verify-full."""
    import os
    from auth_tokens import hs256_authentication
    certs = os.environ.get("ORDERS_TEST_PG_CERTS")
    if not certs:
        pytest.fail("needs the test PostgreSQL with TLS (scripts/test starts it with start_test_postgres --tls)", pytrace=False)
    name = re.sub(r"\W", "_", request.node.name.lower())[-40:]

    def verify_full(url: str) -> str:
        return url.replace("@127.0.0.1:", "@localhost:") + f"?sslmode=verify-full&sslrootcert={certs}/ca.pem"

    auth_env, token = hs256_authentication(tmp_path, subject="cli-staff", roles=("staff",))
    broker = request.getfixturevalue("broker")
    oc = request.getfixturevalue("order_commands")(broker, env=auth_env)
    oq = request.getfixturevalue("order_queries")(broker, verify_full(fresh_postgres_database(f"oq_{name}")), env={**auth_env, "ADMIN_TOKEN": TOKEN})
    nt = request.getfixturevalue("notifiers")(broker, verify_full(fresh_postgres_database(f"nt_{name}")),
                                              env={**auth_env, "NOTIFIER_SINKS": f"file:{sink}", "ADMIN_TOKEN": TOKEN})
    for service in (oc, oq, nt):
        service.bearer = token
    cli = OrdersCLI({"ORDERS_COMMAND_URL": oc.url, "ORDERS_QUERY_URL": oq.url, "ORDERS_NOTIFIER_URL": nt.url,
                     "KAFKA_BOOTSTRAP_SERVERS": broker.bootstrap, "ADMIN_TOKEN": TOKEN, "ORDERS_TOKEN": token})
    # Without the token the services refuse the CLI, saying how to give one.
    anonymous = OrdersCLI({"ORDERS_COMMAND_URL": oc.url, "ORDERS_QUERY_URL": oq.url, "ORDERS_NOTIFIER_URL": nt.url,
                           "KAFKA_BOOTSTRAP_SERVERS": broker.bootstrap})
    assert "ORDERS_TOKEN" in anonymous.fails("list", code=1)
    yield Stack(broker, [oc], oq, nt, sink, [cli])


KAFKA_PASSWORD = "scram-secret-for-the-cli-test"


def sasl_ssl_stack(request, tmp_path, sink):
    """The loopback stack with every service and the CLI authenticating over SASL_SSL."""
    certs = tmp_path / "certs"
    subprocess.run([str(REPO / "scripts" / "make-test-certs"), str(certs)], check=True, capture_output=True)
    password_file = tmp_path / "kafka-password"
    password_file.write_text(KAFKA_PASSWORD + "\n")
    users = tmp_path / "kafka-users.json"
    subprocess.run([kafkawire_bin(), "broker-users", "add", "--file", str(users), "--user", "orders",
                    "--password-file", str(password_file)], check=True, capture_output=True)
    secure_port = free_port()
    broker = Broker(tmp_path / "data", tmp_path / "broker.log", extra_args=(
        "--listen", f"SASL_SSL://127.0.0.1:{secure_port}", "--ssl-certificate", str(certs / "broker.pem"),
        "--ssl-key", str(certs / "broker.key"), "--sasl-users", str(users), "--sasl-mechanisms", "SCRAM-SHA-512"))
    request.node._kafkawire_broker = broker
    broker.start()
    try:
        wait_until(lambda: port_accepts(secure_port), "the SASL_SSL listener", 30)
        security = {"KAFKA_SECURITY_PROTOCOL": "SASL_SSL", "KAFKA_SASL_MECHANISM": "SCRAM-SHA-512",
                    "KAFKA_SASL_USERNAME": "orders", "KAFKA_SASL_PASSWORD_FILE": str(password_file),
                    "KAFKA_SSL_CA_LOCATION": str(certs / "ca.pem")}
        secure = SecureListener(f"127.0.0.1:{secure_port}")
        name = re.sub(r"\W", "_", request.node.name.lower())[-40:]
        oc = request.getfixturevalue("order_commands")(secure, env=security)
        oq = request.getfixturevalue("order_queries")(secure, fresh_postgres_database(f"oq_{name}"),
                                                      env={"ADMIN_TOKEN": TOKEN, **security})
        nt = request.getfixturevalue("notifiers")(secure, fresh_postgres_database(f"nt_{name}"),
                                                  env={"NOTIFIER_SINKS": f"file:{sink}", "ADMIN_TOKEN": TOKEN, **security})
        cli = OrdersCLI({"ORDERS_COMMAND_URL": oc.url, "ORDERS_QUERY_URL": oq.url, "ORDERS_NOTIFIER_URL": nt.url,
                         "KAFKA_BOOTSTRAP_SERVERS": secure.bootstrap, "ADMIN_TOKEN": TOKEN, **security})
        yield Stack(broker, [oc], oq, nt, sink, [cli])
        # Every service authenticated (the broker says so per connection), and no log holds the password.
        log = broker.log_path.read_text(errors="replace")
        assert "Client authenticated" in log and "kafka.user=orders" in log, broker.log_tail()
        for instance in (broker, oc, oq, nt):
            assert KAFKA_PASSWORD not in instance.log_path.read_text(errors="replace"), instance.log_path
    finally:
        broker.stop(timeout=10, strict=False)


@dataclass
class SecureListener:
    """What the service fixtures need of a broker: the address to bootstrap from."""
    bootstrap: str


def compose_stack(request, tmp_path, sink):
    compose.require_compose_hosts()
    variables = {"ADMIN_TOKEN": TOKEN, "NOTIFIER_SINKS": f"file:{sink}"}
    kafka = compose.host_name("kafka1")
    broker = Broker(tmp_path / "data", tmp_path / "broker.log", port=9092, host=compose.address_of(kafka),
                    advertise=f"{kafka}:9092",
                    extra_args=("--default-partitions", "6", "--group-initial-rebalance-delay-ms", "0"))
    request.node._kafkawire_broker = broker
    forwarder = None
    started = []
    try:
        broker.start()
        compose.create_topics_as_kafka_init(broker.bootstrap)
        forwarder = compose.TcpForwarder(compose.address_of(compose.host_name("postgres")), 5432,
                                         compose.prepare_compose_database(variables))

        def start(kind, service: str):
            env = compose.service_env(service, variables)
            name = compose.host_name(service)
            instance = kind(env["KAFKA_BOOTSTRAP_SERVERS"], tmp_path / f"{service}.log", port=compose.listen_port(env),
                            env=env, host=compose.address_of(name), url_host=name, exact_env=True)
            started.append(instance)
            request.node._order_commands = [i for i in started if isinstance(i, OrderCommand)]
            request.node._order_queries = [i for i in started if isinstance(i, OrderQuery)]
            request.node._notifiers = [i for i in started if isinstance(i, Notifier)]
            return instance.start(ready_timeout=120)

        commands = [start(OrderCommand, "order-command-1"), start(OrderCommand, "order-command-2")]
        wait_until(lambda: all(len(set(oc.status()["owners"].values())) == 2 for oc in commands),
                   "both order-command instances to own partitions", 120,
                   detail=lambda: f" (owners: {[oc.status()['owners'] for oc in commands]})")
        oq = start(OrderQuery, "order-query")
        nt = start(Notifier, "notifier")
        console = start(Console, "console")
        base = {"ORDERS_QUERY_URL": oq.url, "ORDERS_NOTIFIER_URL": nt.url, "ADMIN_TOKEN": TOKEN,
                "KAFKA_BOOTSTRAP_SERVERS": compose.service_env("order-query", variables)["KAFKA_BOOTSTRAP_SERVERS"]}
        clis = [OrdersCLI({**base, "ORDERS_COMMAND_URL": oc.url}) for oc in commands]
        assert clis[0].env["ORDERS_COMMAND_URL"] == "http://order-command-1:8081", clis[0].env
        yield Stack(broker, commands, oq, nt, sink, clis, console)
    finally:
        for instance in reversed(started):
            instance.stop()
        if forwarder:
            forwarder.close()
        broker.stop(timeout=10, strict=False)


# ------------------------------------------------------------------ what the test sent, kept in Python

@dataclass
class Sent:
    """One order as the commands sent it: what the read model and the log must show."""
    order_id: str
    customer: str
    currency: str
    items: dict = field(default_factory=dict)  # sku -> (quantity, unit price), in order
    status: str = "placed"
    version: int = 0
    positions: list = field(default_factory=list)  # the position each command printed, by version

    @property
    def position(self) -> str:
        return self.positions[-1]


def check_answer(answer: dict, order: Sent | None, version: int) -> dict:
    """A command's answer (JSON or the parsed human line): the order, its new version, a
    position in the order's own partition."""
    assert {"orderId", "version", "position"} <= set(answer), answer
    if order is not None:
        assert answer["orderId"] == order.order_id, answer
    assert answer["version"] == version, answer
    match = POSITION.match(answer["position"])
    assert match, answer
    assert int(match[1]) == partition_of(answer["orderId"], PARTITIONS), answer
    return answer


class Orders:
    """Sends the commands through the CLI, with --json or without, and keeps what was sent.
    With several CLIs (one per OrderCommand instance), the commands take turns among them, so
    an order's commands reach both the instance that owns its partition and one that forwards."""

    def __init__(self, clis: list):
        self.clis = clis
        self.sent: dict[str, Sent] = {}
        self.count = 0

    def _run(self, json_output: bool, what: str, order: Sent | None, *args) -> dict:
        cli = self.clis[self.count % len(self.clis)]
        self.count += 1
        if json_output:
            answer = cli.json(*args)
        else:
            answer = cli.command_line(*args)
            assert answer["what"] == what, (args, answer)
        return answer

    def place(self, customer: str, currency: str, items, json_output: bool, order_id: str | None = None) -> Sent:
        args = ["place", "--customer", customer, "--currency", currency]
        for sku, quantity, price in items:
            args += ["--item", f"{sku}:{quantity}:{price}"]
        if order_id:
            args += ["--order-id", order_id]
        answer = check_answer(self._run(json_output, "placed", None, *args), None, 1)
        if order_id:
            assert answer["orderId"] == order_id
        order = Sent(answer["orderId"], customer, currency, {sku: (q, p) for sku, q, p in items}, version=1,
                     positions=[answer["position"]])
        assert order.order_id not in self.sent
        self.sent[order.order_id] = order
        return order

    def _step(self, order: Sent, json_output: bool, what: str, *args, status: str | None = None) -> dict:
        answer = check_answer(self._run(json_output, what, order, *args), order, order.version + 1)
        order.version += 1
        order.positions.append(answer["position"])
        if status:
            order.status = status
        return answer

    def add_item(self, order: Sent, sku: str, quantity: int, price: int, json_output: bool) -> dict:
        answer = self._step(order, json_output, f"added {sku} to", "add-item", order.order_id, "--sku", sku,
                            "--quantity", quantity, "--unit-price", price)
        order.items[sku] = (quantity, price)
        return answer

    def remove_item(self, order: Sent, sku: str, json_output: bool) -> dict:
        answer = self._step(order, json_output, f"removed {sku} from", "remove-item", order.order_id, sku)
        del order.items[sku]
        return answer

    def confirm(self, order: Sent, json_output: bool) -> dict:
        return self._step(order, json_output, "confirmed", "confirm", order.order_id, status="confirmed")

    def ship(self, order: Sent, carrier: str, tracking: str, json_output: bool) -> dict:
        return self._step(order, json_output, "shipped", "ship", order.order_id, "--carrier", carrier,
                          "--tracking-number", tracking, status="shipped")

    def deliver(self, order: Sent, json_output: bool) -> dict:
        return self._step(order, json_output, "delivered", "deliver", order.order_id, status="delivered")

    def cancel(self, order: Sent, reason: str, json_output: bool) -> dict:
        return self._step(order, json_output, "cancelled", "cancel", order.order_id, "--reason", reason, status="cancelled")


def check_console(stack: Stack, order: "Sent") -> None:
    """The console as the compose file configures it reaches the services by their compose
    host names: the order's page has order-query's row, /system/status every partition's owner
    and no service out of reach."""
    client = stack.console.client()
    status = client.request("GET", "/system/status").body
    owners = {p["owner"] for p in status["partitions"]}
    assert owners == {"http://order-command-1:8081", "http://order-command-2:8081"}, status
    assert [s for s in status["services"] if s.get("problem")] == [], status["services"]
    page = client.request("GET", f"/orders/{order.order_id}")
    html = page.raw.decode()
    assert page.status == 200 and '<dl id="read-model">' in html, html[-2000:]
    assert html.count(f'<dd data-field="status">{order.status}</dd>') == 2, html[-2000:]


def wait_lag_zero(stack: Stack, timeout: float = 120.0) -> list:
    """Waits (through `orders lag --json`) until order-query and the notifier have each read
    every partition to the log's end, as confluent-kafka sees the end; returns the rows."""
    last = {}

    def caught_up() -> bool:
        ends = end_offsets(stack.broker.bootstrap, PARTITIONS)
        rows = stack.cli.json_lines("lag")
        last["rows"], last["ends"] = rows, ends
        by_consumer = {}
        for row in rows:
            assert set(row) == {"consumer", "partition", "position", "end", "lag"}, row
            by_consumer.setdefault(row["consumer"], []).append(row)
        assert set(by_consumer) <= {"order-query", "notifier"}, rows
        return (set(by_consumer) == {"order-query", "notifier"}
                and all(sorted(r["partition"] for r in group) == list(range(PARTITIONS)) for group in by_consumer.values())
                and all(r["lag"] == 0 and r["position"] == r["end"] == ends[r["partition"]] for r in rows))

    wait_until(caught_up, "orders lag to show order-query and the notifier at the log's end", timeout,
               detail=lambda: f" (last: {last})")
    return last["rows"]


def forwarded_commands(oc: OrderCommand) -> int:
    """order_command_forwarded_commands_total summed over outcomes, from /metrics."""
    text = oc.client().request("GET", "/metrics").raw.decode()
    return int(sum(float(line.split()[-1]) for line in text.splitlines()
                   if line.startswith("order_command_forwarded_commands_total")))


def all_listed(cli: OrdersCLI, *args, limit: int = 500) -> list:
    """Every order `orders list` prints, page by page through --cursor."""
    orders, cursor = [], None
    for _ in range(100):
        page = cli.json("list", "--limit", limit, *args, *(["--cursor", cursor] if cursor else []))
        assert set(page) <= {"orders", "nextCursor"}, page
        orders += page["orders"]
        cursor = page.get("nextCursor")
        if not cursor:
            return orders
    raise AssertionError("orders list never stopped printing a next cursor")


# ------------------------------------------------------------------ 1. end to end

@pytest.mark.timeout(420)
def test_every_command_end_to_end_against_the_services_in_their_own_processes(stack):
    cli = stack.cli
    bootstrap = stack.broker.bootstrap
    o = Orders(stack.clis)

    # ---- commands: every one with --json and without
    ann = o.place("cli-ann", "EUR", [("TEA", 2, 450)], json_output=True)
    added = o.add_item(ann, "CUP", 1, 1200, json_output=True)
    # Read-your-writes in the middle of a lifecycle: the query waits for the position it carries.
    seen = cli.json("get", ann.order_id, "--position", added["position"], "--wait-ms", "30000")
    assert seen["version"] == 2 and {i["sku"] for i in seen["items"]} == {"TEA", "CUP"}, seen
    o.remove_item(ann, "TEA", json_output=True)
    o.confirm(ann, json_output=True)
    o.ship(ann, "DHL", "JD0001", json_output=True)
    o.deliver(ann, json_output=True)

    dora = o.place("cli-dora", "EUR", [("MUG", 1, 999), ("SPOON", 3, 150)], json_output=False, order_id="cli-dora-1")
    o.add_item(dora, "BOWL", 2, 700, json_output=False)
    o.remove_item(dora, "SPOON", json_output=False)
    o.confirm(dora, json_output=False)
    o.ship(dora, "UPS", "1Z42", json_output=False)
    o.deliver(dora, json_output=False)

    hat = o.place("cli-ann", "USD", [("HAT", 1, 2500)], json_output=True)
    o.cancel(hat, "changed my mind", json_output=True)
    eve = o.place("cli-eve", "GBP", [("SCARF", 2, 1800)], json_output=False)
    o.cancel(eve, "doppelt – «sorry» & <b>O'Brien</b>", json_output=False)
    carl = o.place("cli-carl", "EUR", [("X", 1, 100)], json_output=True)
    o.confirm(carl, json_output=False)
    gus = o.place("cli-gus", "EUR", [("Y", 4, 25), ("Z", 1, 5)], json_output=False)
    o.confirm(gus, json_output=True)
    o.ship(gus, "DHL", "JD0002", json_output=False)
    fay = o.place("cli-carl", "EUR", [("W", 3, 333)], json_output=True)
    sent = o.sent
    assert sorted(s.status for s in sent.values()) == sorted(
        ["delivered", "delivered", "cancelled", "cancelled", "confirmed", "shipped", "placed"])
    if len(stack.commands) > 1:
        # Consecutive commands on one order went to both instances: one of them forwarded.
        forwarded = sum(forwarded_commands(oc) for oc in stack.commands)
        assert forwarded > 0, "no command was forwarded between the two order-command instances"

    # ---- each order's last write, seen through the position its command printed
    for order in sent.values():
        got = cli.json("get", order.order_id, "--position", order.position, "--wait-ms", "30000")
        assert (got["orderId"], got["version"], got["status"]) == (order.order_id, order.version, order.status), got
        assert (got["customerId"], got["currency"]) == (order.customer, order.currency), got
        assert [(i["sku"], i["quantity"], i["unitPrice"]) for i in got["items"]] == [
            (sku, q, p) for sku, (q, p) in order.items.items()], got
    human = cli.ok("get", ann.order_id).splitlines()
    assert human[0].split() == ["order", ann.order_id, "delivered", "version", "6"], human
    assert any(line.split()[:1] == ["shipping"] and "DHL" in line and "JD0001" in line for line in human), human

    # Every position a command printed is its event in the log, read with confluent-kafka.
    fold = fold_log(bootstrap, PARTITIONS)
    at = {(e.partition, e.offset): e for e in fold.events}
    for order in sent.values():
        for version, position in enumerate(order.positions, start=1):
            partition, offset = map(int, position.split(":"))
            event = at[(partition, offset)]
            assert (event.order_id, event.version, event.in_effect) == (order.order_id, version, True), (position, event)
    assert fold.void() == [] and fold.versions == {s.order_id: s.version for s in sent.values()}

    # ---- list, stats, customer: the read model, against a fold of the log done in Python
    wait_lag_zero(stack)
    if stack.console:
        check_console(stack, ann)
    expected = expected_read_model(bootstrap, PARTITIONS)
    listed = all_listed(cli)
    assert sorted(x["orderId"] for x in listed) == sorted(sent)
    for row in listed:
        want = expected[row["orderId"]]
        for name in READ_MODEL_FIELDS:
            assert row.get(name) == want.get(name), f"{row['orderId']}.{name}: listed {row.get(name)!r}, fold {want.get(name)!r}"
        assert (row["status"], row["version"]) == (sent[row["orderId"]].status, sent[row["orderId"]].version)
    placed_at = [row["placedAt"] for row in listed]
    assert placed_at == sorted(placed_at, reverse=True), "newest first"
    assert all_listed(cli, limit=2) == listed, "the same orders, page by page through --cursor"
    assert sorted(x["orderId"] for x in all_listed(cli, "--status", "cancelled")) == sorted([hat.order_id, eve.order_id])
    assert sorted(x["orderId"] for x in all_listed(cli, "--customer", "cli-ann")) == sorted([ann.order_id, hat.order_id])
    assert [x["orderId"] for x in all_listed(cli, "--status", "placed")] == [fay.order_id]

    stats = cli.json("stats")
    assert stats["orders"] == len(sent)
    for status in STATUSES:
        mine = [x for x in expected.values() if x["status"] == status]
        totals = Counter()
        for x in mine:
            totals[x["currency"]] += x["total"]
        assert stats["byStatus"][status] == {"orders": len(mine), "totals": dict(totals)}, (status, stats)
    for customer in ("cli-ann", "cli-carl", "cli-eve"):
        mine = [x for x in expected.values() if x["customerId"] == customer]
        summary = cli.json("customer", customer)
        assert summary["customerId"] == customer and summary["orderCount"] == len(mine), summary
        assert summary["byStatus"] == {s: sum(1 for x in mine if x["status"] == s) for s in STATUSES}, summary
        totals = Counter()
        for x in mine:
            if x["status"] != "cancelled":
                totals[x["currency"]] += x["total"]
        assert summary["totals"] == dict(totals), summary
        assert (summary["firstOrderAt"], summary["lastOrderAt"]) == (min(x["placedAt"] for x in mine), max(x["placedAt"] for x in mine))
    assert "cli-ann" in cli.ok("customer", "cli-ann").splitlines()[0]

    # ---- a second writer's events, straight to the topic with the envelope headers: void
    second = History(bootstrap, PARTITIONS, seed=77)
    second._send(ann.order_id, "ItemAdded", {"sku": "VOID", "quantity": 1, "unitPrice": 1}, 2)  # version 2 again
    second._send(hat.order_id, "OrderCancelled", {"reason": "a second writer"}, 2)  # a notifying kind, void
    second.flush()
    fold = fold_log(bootstrap, PARTITIONS)
    voids = fold.void()
    assert sorted((e.order_id, e.version) for e in voids) == sorted([(ann.order_id, 2), (hat.order_id, 2)])

    # ---- events: one partition from an offset on, exactly as the log has it
    partition = partition_of(ann.order_id, PARTITIONS)
    start = int(ann.positions[3].split(":")[1])  # ann's confirmation: not the partition's first record
    assert start > 0
    printed = cli.json_lines("events", "--partition", partition, "--offset", start)
    want = [e for e in fold.events if e.partition == partition and e.offset >= start]
    assert [(p["partition"], p["offset"]) for p in printed] == [(e.partition, e.offset) for e in want]
    for line, event in zip(printed, want):
        assert (line["orderId"], line["version"], line["eventType"], line["eventId"], line["inEffect"]) == (
            event.order_id, event.version, event.headers["event-type"], event.headers["event-id"], event.in_effect), line
        assert line["data"] == json.loads(event.value), line
        assert ("void" in line) == (not event.in_effect), line
    assert any(not p["inEffect"] for p in printed), "the void event is at the partition's end"

    # Every partition: every record once.
    everything = cli.json_lines("events")
    assert sorted((p["partition"], p["offset"]) for p in everything) == sorted((e.partition, e.offset) for e in fold.events)

    # One order: only its events, the void one marked with its reason.
    mine = cli.json_lines("events", "--order", ann.order_id)
    want = [e for e in fold.events if e.order_id == ann.order_id]
    assert [(p["orderId"], p["partition"], p["offset"], p["version"], p["inEffect"]) for p in mine] == [
        (e.order_id, e.partition, e.offset, e.version, e.in_effect) for e in want]
    [void] = [p for p in mine if not p["inEffect"]]
    assert void["inEffect"] is False and void["version"] == 2 and void["data"]["sku"] == "VOID", void
    assert "version 2" in void["void"] and "expected 7" in void["void"], void
    text = cli.ok("events", "--order", ann.order_id).splitlines()
    assert len(text) == len(want), text
    assert ["VOID" in line for line in text] == [not e.in_effect for e in want], text
    # A partition the topic does not have, or not the order's: a usage error, with Kafka up.
    error_line(cli.run("events", "--partition", PARTITIONS), 64)
    other = (partition + 1) % PARTITIONS
    error_line(cli.run("events", "--order", ann.order_id, "--partition", other), 64)

    # ---- history: as of an offset, and as of now
    add_offset = int(ann.positions[1].split(":")[1])
    then = cli.json("history", ann.order_id, "--at-offset", add_offset)
    assert (then["orderId"], then["partition"], then["asOfOffset"], then["exists"]) == (ann.order_id, partition, add_offset, True), then
    assert (then["version"], then["status"], then["customerId"], then["currency"]) == (2, "placed", "cli-ann", "EUR"), then
    assert [(i["sku"], i["quantity"], i["unitPrice"]) for i in then["items"]] == [("TEA", 2, 450), ("CUP", 1, 1200)], then
    assert [(s["version"], s["position"]) for s in then["history"]] == list(enumerate(ann.positions[:2], start=1)), then
    now = cli.json("history", ann.order_id)
    assert now.get("asOfOffset") is None and now["exists"] is True, now
    assert (now["version"], now["status"]) == (6, "delivered"), now
    assert [(s["version"], s["position"]) for s in now["history"]] == list(enumerate(ann.positions, start=1)), now
    assert [s["status"] for s in now["history"]] == ["placed", "placed", "placed", "confirmed", "shipped", "delivered"], now
    assert [s["eventType"] for s in now["history"]] == ["OrderPlaced", "ItemAdded", "ItemRemoved", "OrderConfirmed",
                                                         "OrderShipped", "OrderDelivered"], now
    read_model = cli.json("get", ann.order_id)
    assert (now["items"], now["total"], now["version"], now["status"]) == (
        read_model["items"], read_model["total"], read_model["version"], read_model["status"])
    # Before an order was placed it does not exist (7 orders in 6 partitions: one was not its partition's first).
    later = next(s for s in sent.values() if int(s.positions[0].split(":")[1]) > 0)
    before_placed = cli.json("history", later.order_id, "--at-offset", int(later.positions[0].split(":")[1]) - 1)
    assert (before_placed["exists"], before_placed["version"], before_placed["history"]) == (False, 0, []), before_placed
    assert cli.ok("history", ann.order_id).splitlines()[0].split()[:5] == ["order", ann.order_id, "delivered", "version", "6"]

    # ---- rebuild: progress lines, then live; the read model is what it was
    wait_lag_zero(stack)
    before = all_listed(cli)
    before_get = {order_id: cli.json("get", order_id) for order_id in sent}
    before_stats = cli.json("stats")
    assert before == listed, "the void events changed nothing in the read model"
    progress = cli.json_lines("rebuild", timeout=240)
    assert progress, "rebuild printed nothing"
    for line in progress:
        assert {"id", "generation", "status", "recordsRead", "eventsApplied"} <= set(line), line
    assert len({(line["id"], line["generation"]) for line in progress}) == 1, progress
    assert all(line["status"] == "building" for line in progress[:-1]), progress
    assert progress[-1]["status"] == "live", progress
    assert progress[-1]["eventsApplied"] == sum(s.version for s in sent.values()), progress[-1]
    assert progress[-1]["recordsRead"] == sum(end_offsets(bootstrap, PARTITIONS).values()), progress[-1]
    assert all_listed(cli) == before
    assert {order_id: cli.json("get", order_id) for order_id in sent} == before_get
    assert cli.json("stats") == before_stats

    # ---- notifications: one per placed / confirmed / shipped / delivered / cancelled event in effect
    notifications = expected_notifications(bootstrap, PARTITIONS)
    kinds = Counter(n["kind"] for n in notifications.notifications.values())
    assert kinds == Counter({"order-placed": 7, "order-confirmed": 4, "order-shipped": 3, "order-delivered": 2,
                             "order-cancelled": 2}), kinds
    total = len(notifications.notifications)
    sink_name = f"file:{stack.sink}"

    def file_counts() -> Counter:
        return Counter(parsed["eventId"] for _, parsed in read_jsonl(stack.sink))

    wait_until(lambda: sum(file_counts().values()) >= total, f"{total} notifications in the file sink", 120,
               detail=lambda: f" (have {sum(file_counts().values())})\n{stack.notifier.log_tail(20)}")

    def all_delivered() -> bool:
        return all(d["status"] == "delivered"
                   for order_id in sent for n in cli.json("notifications", order_id)["notifications"] for d in n["deliveries"])

    wait_until(all_delivered, "every delivery to show delivered in the ledger", 120)
    assert file_counts() == Counter({event_id: 1 for event_id in notifications.notifications})
    for event_id in notifications.void | notifications.silent:
        assert event_id not in file_counts()
    for _, parsed in read_jsonl(stack.sink):
        assert parsed == notifications.notifications[parsed["eventId"]], parsed
    for order_id in sent:
        served = cli.json("notifications", order_id)
        assert served["orderId"] == order_id, served
        assert [n["notification"] for n in served["notifications"]] == notifications.of_order(order_id), order_id
        for n in served["notifications"]:
            assert [(d["sink"], d["status"], d["attempts"]) for d in n["deliveries"]] == [(sink_name, "delivered", 1)], n
    assert [(n["notification"]["kind"], n["notification"]["version"]) for n in cli.json("notifications", ann.order_id)["notifications"]] == [
        ("order-placed", 1), ("order-confirmed", 4), ("order-shipped", 5), ("order-delivered", 6)]
    assert [(n["notification"]["kind"], n["notification"]["version"]) for n in cli.json("notifications", hat.order_id)["notifications"]] == [
        ("order-placed", 1), ("order-cancelled", 2)]
    text = cli.ok("notifications", ann.order_id).splitlines()
    assert [line.split()[:2] for line in text if line.startswith("v")] == [
        ["v1", "order-placed"], ["v4", "order-confirmed"], ["v5", "order-shipped"], ["v6", "order-delivered"]], text
    assert sum(1 for line in text if line.strip() == f"{sink_name}: delivered after 1 attempt(s)") == 4, text

    # ---- replays: nothing again, unless --resend (then every delivery once more)
    assert cli.json("replay", "notifier", "--offset", "0") == {"queued": 0, "resend": False}
    assert cli.json("replay", "notifier", "--offset", "0", "--resend") == {"queued": total, "resend": True}
    wait_until(lambda: file_counts() == Counter({e: 2 for e in notifications.notifications}),
               "every notification in the file sink twice", 120, detail=lambda: f" (have {file_counts()})")
    wait_until(all_delivered, "the resent deliveries to finish", 120)
    assert cli.json("replay", "notifier", "--offset", "0") == {"queued": 0, "resend": False}
    assert "nothing to deliver again" in cli.ok("replay", "notifier", "--offset", "0")

    # ---- lag: both consumers at the end of every partition
    rows = wait_lag_zero(stack)
    assert Counter(r["consumer"] for r in rows) == Counter({"order-query": PARTITIONS, "notifier": PARTITIONS})
    lag_text = cli.ok("lag")
    assert lag_text.endswith("it has no lag to report\n"), repr(lag_text[-80:])  # the last line ends too
    table = lag_text.splitlines()
    assert table[0].split() == ["consumer", "partition", "position", "log", "end", "lag"], table
    assert sum(1 for line in table[1:] if line.split()[:1] in (["order-query"], ["notifier"])) == 2 * PARTITIONS, table
    assert file_counts() == Counter({e: 2 for e in notifications.notifications}), "nothing sent a third time"


# ------------------------------------------------------------------ 2. bad input, services down, refusals

PLACE = ["--customer", "c-1", "--currency", "EUR", "--item", "TEA:2:450"]

BAD_USAGE = [
    # (argv, a fragment the one error line must contain)
    (["place", "--currency", "EUR", "--item", "TEA:2:450"], "--customer"),
    (["place", "--customer", "c-1", "--currency", "eur", "--item", "TEA:2:450"], "--currency"),
    (["place", "--customer", "c-1", "--currency", "EUR", "--item", "TEA:x:1"], "TEA:x:1"),
    (["place", "--customer", "c-1", "--currency", "EUR", "--item", "TEA:2"], "TEA:2"),
    (["place", "--customer", "c-1", "--currency", "EUR"], "--item"),
    (["place", "--customer", "c 1", "--currency", "EUR", "--item", "TEA:2:450"], "--customer"),
    (["place", *PLACE, "--order-id", "x'; DROP TABLE orders;--"], "--order-id"),
    (["place", *PLACE, "--expected-version", "0"], "--expected-version"),
    (["place", *PLACE, "--idempotency-key", ""], "--idempotency-key"),
    (["add-item", "bad id!", "--sku", "A", "--quantity", "1", "--unit-price", "1"], "bad id!"),
    (["add-item", "o-1", "--sku", "A", "--quantity", "many", "--unit-price", "1"], "many"),
    (["add-item", "o-1", "--quantity", "1", "--unit-price", "1"], "--sku"),
    (["remove-item", "o-1"], "<sku>"),
    (["remove-item", "o-1", "no/such/sku"], "no/such/sku"),
    (["confirm"], "<order>"),
    (["confirm", "o-1", "--expected-version", "x"], "--expected-version"),
    (["ship", "o-1", "--tracking-number", "T1"], "--carrier"),
    (["ship", "o-1", "--carrier", "DHL", "--tracking-number", "a\nb"], "--tracking-number"),
    (["deliver", "a b"], "a b"),
    (["cancel", "o-1"], "--reason"),
    (["get"], "<order>"),
    (["get", "o-1", "--position", "2"], "--position"),
    (["get", "o-1", "--position", "2:x"], "--position"),
    (["get", "o-1", "--position", "2:1", "--wait-ms", "40000"], "--wait-ms"),
    (["list", "--limit", "0"], "--limit"),
    (["list", "--limit", "501"], "--limit"),
    (["list", "--status", "lost"], "--status"),
    (["list", "--customer", "x y"], "--customer"),
    (["stats", "--position", "x:1"], "--position"),
    (["customer"], "<customer>"),
    (["customer", "a/b"], "a/b"),
    (["notifications"], "<order>"),
    (["notifications", "o/1"], "o/1"),
    (["events", "--offset", "soon"], "--offset"),
    (["events", "--offset", "@yesterday"], "--offset"),
    (["events", "--order", "bad id"], "--order"),
    (["events", "--partition", "x"], "--partition"),
    (["history"], "<order>"),
    (["history", "o-1", "--at-offset", "-1"], "--at-offset"),
    (["history", "o-1", "--at-offset=-1"], "--at-offset"),
    (["replay", "query", "--offset", "0"], "notifier"),
    (["replay", "notifier", "--offset", "x"], "--offset"),
    (["replay", "notifier"], "--offset"),
    (["replay", "notifier", "--offset", "@1", "--partition", "0"], "--partition"),
    (["rebuild", "--up-to", "0-5"], "--up-to"),
    (["rebuild", "--up-to", "0:-5"], "--up-to"),
    (["rebuild", "--up-to", "0:1", "--up-to-timestamp", "5"], "--up-to"),
    (["lag", "--bogus"], "--bogus"),
    (["--command-url", "ftp://x", "place", *PLACE], "--command-url"),
    (["place", "--command-url", "ftp://x", *PLACE], "--command-url"),
    (["get", "o-1", "--query-url", "localhost:8082"], "--query-url"),
    (["notifications", "o-1", "--notifier-url", "file:///tmp/x"], "--notifier-url"),
    (["up", "--log-level", "loud"], "--log-level"),
    (["demo", "--log-level", "loud"], "--log-level"),
    (["frobnicate"], "frobnicate"),
]


@pytest.fixture(scope="module")
def nowhere() -> dict:
    """Addresses where nothing listens (ports just freed), so a command that got past its
    checks by mistake fails with 69, never 64."""
    port = free_port()
    return {"ORDERS_COMMAND_URL": f"http://127.0.0.1:{port}", "ORDERS_QUERY_URL": f"http://127.0.0.1:{port}",
            "ORDERS_NOTIFIER_URL": f"http://127.0.0.1:{port}", "KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{port}",
            "ADMIN_TOKEN": TOKEN}


@pytest.mark.timeout(120)
@pytest.mark.parametrize("argv, fragment", BAD_USAGE, ids=[" ".join(a)[:60] for a, _ in BAD_USAGE])
def test_bad_input_is_one_line_on_stderr_and_exit_64(argv, fragment, nowhere):
    proc = run_orders(argv, env=nowhere, timeout=90)
    line = error_line(proc, 64)
    assert fragment in line, describe(proc)
    assert proc.stdout == "", describe(proc)


@pytest.mark.timeout(240)
def test_a_service_down_is_exit_69_naming_the_service_and_the_address(nowhere):
    """Each service in turn unreachable (nothing listens on the port). The HTTP client may try
    for a while; each run gets 90 s, and they run side by side."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    kafka = f"127.0.0.1:{port}"
    cases = [
        (["place", *PLACE], {"ORDERS_COMMAND_URL": url}, "OrderCommand", url),
        (["confirm", "o-1"], {"ORDERS_COMMAND_URL": url}, "OrderCommand", url),
        (["get", "o-1"], {"ORDERS_QUERY_URL": url}, "OrderQuery", url),
        (["list"], {"ORDERS_QUERY_URL": url}, "OrderQuery", url),
        (["rebuild"], {"ORDERS_QUERY_URL": url}, "OrderQuery", url),
        (["notifications", "o-1"], {"ORDERS_NOTIFIER_URL": url}, "Notifier", url),
        (["replay", "notifier", "--offset", "0"], {"ORDERS_NOTIFIER_URL": url}, "Notifier", url),
        (["events"], {"KAFKA_BOOTSTRAP_SERVERS": kafka}, "Kafka", kafka),
        (["events", "--order", "o-1"], {"KAFKA_BOOTSTRAP_SERVERS": kafka}, "Kafka", kafka),
        (["history", "o-1"], {"KAFKA_BOOTSTRAP_SERVERS": kafka}, "Kafka", kafka),
        # The flag wins over the environment.
        (["get", "o-1", "--query-url", url], {"ORDERS_QUERY_URL": "http://127.0.0.1:1"}, "OrderQuery", url),
    ]

    def attempt(case):
        argv, env, _, _ = case
        try:
            return run_orders(argv, env={**nowhere, **env}, timeout=90)
        except subprocess.TimeoutExpired:
            return None

    with ThreadPoolExecutor(len(cases)) as pool:
        results = list(pool.map(attempt, cases))
    failures = []
    for (argv, _, service, address), proc in zip(cases, results):
        if proc is None:
            failures.append(f"orders {' '.join(argv)}: still running after 90 s (killed)")
            continue
        try:
            line = error_line(proc, 69)
            assert service in line and address in line, f"the line should name {service} and {address}: {line}"
            assert proc.stdout == "", describe(proc)
        except AssertionError as e:
            failures.append(str(e))
    assert failures == [], "\n\n".join(failures)


@pytest.mark.timeout(180)
def test_refused_commands_exit_1_naming_the_rule_or_the_current_version(broker, order_commands):
    oc = order_commands(broker)
    cli = OrdersCLI({"ORDERS_COMMAND_URL": oc.url, "KAFKA_BOOTSTRAP_SERVERS": broker.bootstrap})
    cancelled = cli.json("place", *PLACE)["orderId"]
    cli.json("cancel", cancelled, "--reason", "no longer needed")
    open_order = cli.json("place", "--customer", "c-2", "--currency", "EUR", "--item", "A:1:1", "--order-id", "cli-open-1")["orderId"]
    before = end_offsets(broker.bootstrap, PARTITIONS)

    # The rule the service names, asked over HTTP directly, is the one the CLI prints.
    problem = Client(oc.port).request("POST", f"/orders/{cancelled}/ship", {"carrier": "DHL", "trackingNumber": "T1"})
    assert problem.status == 422 and problem.body.get("rule"), (problem.status, problem.body)
    line = cli.fails("ship", cancelled, "--carrier", "DHL", "--tracking-number", "T1", code=1)
    assert f"rule {problem.body['rule']} violated" in line, line
    line = cli.fails("add-item", cancelled, "--sku", "B", "--quantity", "1", "--unit-price", "1", code=1)
    assert re.search(r"\brule \S+ violated", line), line

    line = cli.fails("confirm", open_order, "--expected-version", "9", code=1)
    assert "version conflict" in line and re.search(r"\bversion 1\b", line), line
    assert end_offsets(broker.bootstrap, PARTITIONS) == before, "a refused command appends nothing"
    assert cli.json("add-item", open_order, "--sku", "B", "--quantity", "1", "--unit-price", "1")["version"] == 2
    before = end_offsets(broker.bootstrap, PARTITIONS)
    line = cli.fails("confirm", open_order, "--expected-version", "1", code=1)
    assert "version conflict" in line and re.search(r"\bversion 2\b", line), line
    line = cli.fails("confirm", "cli-no-such-order", code=1)
    assert "no such order" in line.lower() or "not found" in line.lower(), line
    assert end_offsets(broker.bootstrap, PARTITIONS) == before, "a refused command appends nothing"
    assert cli.json("confirm", open_order, "--expected-version", "2")["version"] == 3


# ------------------------------------------------------------------ 3. the demo

DEMO_PORTS = {9092: "Kafka", 8081: "OrderCommand", 8082: "OrderQuery", 8083: "Notifier"}


def port_free(port: int) -> bool:
    if port_accepts(port, timeout=0.5):
        return False
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


@pytest.mark.timeout(360)
def test_the_demo_plays_every_step_on_its_own_embedded_stack(tmp_path):
    busy = [f"127.0.0.1:{port} ({what})" for port, what in DEMO_PORTS.items() if not port_free(port)]
    if busy:
        pytest.fail("orders demo runs its embedded stack on the fixed default ports, and these are in use: "
                    + ", ".join(busy) + ". Stop whatever listens there (another `orders up`?) and run again.", pytrace=False)
    data = tmp_path / "demo-data"
    from helpers import free_port
    console = f"http://127.0.0.1:{free_port()}"
    try:
        proc = run_orders(["demo", "--data-dir", data], env={"ORDERS_CONSOLE_URL": console}, timeout=300)
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b"").decode("utf-8", "replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
        raise AssertionError(f"orders demo did not finish within 300 s; its output so far:\n{out[-4000:]}") from None
    assert proc.returncode == 0, describe(proc)
    out = proc.stdout
    steps = [line for line in out.splitlines() if line.startswith("▸ ")]
    assert [re.match(r"▸ (\d+)\. ", line)[1] for line in steps] == [str(n) for n in range(1, 11)], steps
    assert "That was event sourcing on Kafka." in out, out
    assert f"Watch it live in a browser: {console}" in out, out[:2000]
    assert out.rstrip().splitlines()[-1].startswith("That was event sourcing on Kafka."), out[-2000:]
    assert not any(line.startswith("orders: ") for line in proc.stderr.splitlines()), describe(proc)
    # What the steps claim, in their own words.
    assert re.search(r"refused: rule \S+ violated", out), out
    assert re.search(r"refused: version conflict: .*\bversion 1\b", out), out
    first = re.search(r"first answer: version (\d+), position (\d+:\d+)", out)
    retry = re.search(r"the retry: +version (\d+), position (\d+:\d+)", out)
    assert first and retry and first.groups() == retry.groups(), out
    notified = re.findall(r"^  v(\d+) (order-[a-z]+): .*\[(.*)\]$", out, re.M)
    assert [(v, kind) for v, kind, _ in notified] == [("1", "order-placed"), ("3", "order-confirmed"),
                                                      ("4", "order-shipped"), ("5", "order-delivered")], out
    assert all(d.endswith(" delivered") for _, _, deliveries in notified for d in deliveries.split(", ")), notified
    assert "0 deliveries queued" in out, out
    assert re.search(r"rebuild \d+: live, \d+ events applied", out), out
    # The notifications the demo waited for are in its data directory's file sink.
    alice = re.search(r"placed (alice-\w+): version 1", out)[1]
    in_file = [parsed["kind"] for _, parsed in read_jsonl(data / "notifications.jsonl") if parsed["orderId"] == alice]
    assert in_file == ["order-placed", "order-confirmed", "order-shipped", "order-delivered"], in_file


@pytest.mark.timeout(300)
def test_orders_up_runs_the_console_and_runs_on_without_it_when_its_port_is_taken(tmp_path):
    """`orders up` serves the web console at --console-url's port (the pages show what the CLI
    appended); when that port is taken, the rest of the stack runs all the same and the banner
    says why the console is not there."""
    import signal
    import socket
    import urllib.request

    from helpers import free_port, wait_until

    ports = {name: free_port() for name in ("command", "query", "notifier", "kafka", "console")}
    console = f"http://127.0.0.1:{ports['console']}"
    addresses = {"ORDERS_COMMAND_URL": f"http://127.0.0.1:{ports['command']}", "ORDERS_QUERY_URL": f"http://127.0.0.1:{ports['query']}",
                 "ORDERS_NOTIFIER_URL": f"http://127.0.0.1:{ports['notifier']}", "KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{ports['kafka']}",
                 "ORDERS_CONSOLE_URL": console, "ORDERS_DATA_DIR": str(tmp_path / "stack")}

    def up_until_banner(log_path):
        log = open(log_path, "w+")
        proc = subprocess.Popen([orders_bin(), "up"], env=cli_env(addresses), stdin=subprocess.DEVNULL, stdout=log,
                                stderr=subprocess.STDOUT)
        wait_until(lambda: "Console  " in log_path.read_text() or proc.poll() is not None, "orders up's banner", 120,
                   detail=lambda: "\n" + log_path.read_text()[-3000:])
        assert proc.poll() is None, log_path.read_text()
        return proc, log, log_path.read_text()

    def stop(proc, log):
        proc.send_signal(signal.SIGINT)
        try:
            assert proc.wait(timeout=60) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            log.close()

    proc, log, banner = up_until_banner(tmp_path / "up-1.log")
    try:
        assert f"Console             {console}" in banner, banner
        placed = run_orders(["place", "--customer", "alice", "--currency", "EUR", "--item", "TEA:1:450", "--json"], env=addresses)
        assert placed.returncode == 0, describe(placed)
        order_id = json.loads(placed.stdout)["orderId"]
        with urllib.request.urlopen(f"{console}/orders/{order_id}", timeout=60) as page:
            html = page.read().decode()
        assert page.status == 200 and f"Order {order_id}" in html and "OrderPlaced" in html, html[-2000:]
    finally:
        stop(proc, log)

    # The console's port taken (by this test, on loopback): the stack runs on without it.
    taken = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    taken.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # the first run's connections may linger in TIME_WAIT
    try:
        taken.bind(("127.0.0.1", ports["console"]))
        taken.listen()
        proc, log, banner = up_until_banner(tmp_path / "up-2.log")
        try:
            assert re.search(r"Console +not running: it cannot listen on 127\.0\.0\.1:%d" % ports["console"], banner), banner
            placed = run_orders(["place", "--customer", "bob", "--currency", "EUR", "--item", "TEA:1:450"], env=addresses)
            assert placed.returncode == 0, describe(placed)
        finally:
            stop(proc, log)
    finally:
        taken.close()
