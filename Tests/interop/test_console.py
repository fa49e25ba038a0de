"""The console's live log, as a separate `console` process against the dev broker, read over a
real socket as a browser's EventSource reads it: the same events, positions and verdicts as
`orders events --json`, new events as they are appended, a reconnect with Last-Event-ID
without a gap or a repeat, and clients that never read costing nothing to the ones that do."""

from __future__ import annotations

import http.client
import secrets
import socket

import pytest

from console import Console, EventStream, position
from order_command import Client
from orders_cli import OrdersCLI


def place(client: Client, order_id: str) -> dict:
    reply = client.request("POST", "/orders", {"orderId": order_id, "customerId": "alice", "currency": "EUR",
                                               "items": [{"sku": "TEA", "quantity": 1, "unitPrice": 450}]},
                           headers={"Idempotency-Key": f"k-{order_id}-{secrets.token_hex(4)}"})
    assert reply.status == 201, (reply.status, reply.body)
    return reply.body


def confirm(client: Client, order_id: str) -> dict:
    reply = client.request("POST", f"/orders/{order_id}/confirm", headers={"Idempotency-Key": f"c-{order_id}-{secrets.token_hex(4)}"})
    assert reply.status == 200, (reply.status, reply.body)
    return reply.body


@pytest.fixture
def console(broker, tmp_path):
    instance = Console(broker.bootstrap, tmp_path / "console.log")
    yield instance
    instance.stop()


@pytest.mark.timeout(600)
def test_the_live_log_shows_the_log_as_orders_events_does_then_new_events_and_resumes_without_a_gap(broker, order_commands, console):
    oc = order_commands(broker)
    client = Client(oc.port)
    answers = [place(client, f"c-{n}") for n in range(6)]
    answers.append(confirm(client, "c-0"))
    console.start()

    cli = OrdersCLI({"KAFKA_BOOTSTRAP_SERVERS": broker.bootstrap})
    logged = cli.json_lines("events")
    stream = EventStream(console.port)
    try:
        assert stream.status == 200 and stream.headers["content-type"].startswith("text/event-stream")
        backlog = stream.events_until_caught_up()
        # The same records as the CLI prints, each partition in offset order (the CLI merges by time).
        key = lambda e: (e["partition"], e["offset"])
        assert sorted((e["data"] for e in backlog), key=key) == sorted(logged, key=key)
        assert {position(e) for e in backlog} == {a["position"] for a in answers}
        assert all(e["data"]["inEffect"] for e in backlog)

        # A new event arrives on the open stream, at the position its command was answered with.
        answer = place(client, "c-new")
        [new] = stream.next_events(1)
        assert position(new) == answer["position"] and new["data"]["orderId"] == "c-new"
        assert new["data"]["eventType"] == "OrderPlaced" and new["data"]["actor"] == "anonymous"
    finally:
        stream.close()

    # A browser that got the first three events reconnects with the third's id.
    everything = backlog + [new]
    resumed = EventStream(console.port, headers={"Last-Event-ID": backlog[2]["id"]})
    try:
        rest = resumed.events_until_caught_up()
    finally:
        resumed.close()
    # No gap and no repeat; partitions may interleave otherwise than the first time (fetch order),
    # each in offset order.
    got = [position(e) for e in everything[:3] + rest]
    assert len(got) == len(set(got)) and set(got) == {position(e) for e in everything}
    per_partition = lambda positions: {p: [o for q, o in map(lambda x: x.split(":"), positions) if q == p] for p in {x.split(":")[0] for x in positions}}
    assert per_partition(got) == per_partition([position(e) for e in everything])

    # Filters: one order's events only.
    only = EventStream(console.port, path="/log/events?order=c-0")
    try:
        assert [e["data"]["eventType"] for e in only.events_until_caught_up()] == ["OrderPlaced", "OrderConfirmed"]
    finally:
        only.close()


@pytest.mark.timeout(600)
def test_clients_that_never_read_cost_nothing_to_the_ones_that_do(broker, order_commands, console):
    oc = order_commands(broker)
    client = Client(oc.port)
    place(client, "warm-up")
    console.env = {"CONSOLE_CLIENT_BUFFER": "50"}
    console.start()

    # Ten clients that ask for the stream and never read a byte.
    stalled = []
    for _ in range(10):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # before connecting: a small window
        s.settimeout(30)
        s.connect(("127.0.0.1", console.port))
        s.sendall(b"GET /log/events HTTP/1.1\r\nHost: console\r\nAccept: text/event-stream\r\n\r\n")
        stalled.append(s)
    reader = EventStream(console.port)
    try:
        reader.events_until_caught_up()
        orders = [f"r-{n}" for n in range(300)]
        for order in orders:
            place(client, order)
        got = [e["data"]["orderId"] for e in reader.next_events(len(orders))]
        assert sorted(got) == sorted(orders)
        assert Client(console.port).request("GET", "/health/live").status == 200
    finally:
        reader.close()
        for s in stalled:
            s.close()


def test_bad_filters_are_400_problems_and_the_page_is_served(broker, order_commands, console):
    oc = order_commands(broker)
    place(Client(oc.port), "p-1")
    console.start()
    client = Client(console.port)
    for path in ("/log/events?partition=99", "/log/events?from=yesterday", "/log/events?order=%27%3B--", "/log?sort=1"):
        reply = client.request("GET", path)
        assert reply.status == 400, (path, reply.status, reply.body)
        assert reply.body["type"] == "/problems/validation"
    conn = http.client.HTTPConnection("127.0.0.1", console.port, timeout=30)
    conn.request("GET", "/log?order=p-1")
    page = conn.getresponse()
    html = page.read().decode()
    conn.close()
    assert page.status == 200 and page.getheader("Content-Type") == "text/html; charset=utf-8"
    assert 'data-stream="/log/events?order=p-1"' in html


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")


def metric(port: int, name: str) -> float:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/metrics")
    text = conn.getresponse().read().decode()
    conn.close()
    return sum(float(line.split()[-1]) for line in text.splitlines() if line.startswith(name) and not line.startswith("#"))


@pytest.mark.timeout(900)
def test_a_hundred_clients_ten_never_reading_while_2000_commands_go_through(broker, order_commands, console):
    """100 concurrent streams, 10 of them never reading a byte, while 2,000 commands are
    appended: the console's memory stays bounded (each stalled client costs at most its buffer,
    then is dropped), and every reading client sees every event once (a reader that falls
    behind reconnects with Last-Event-ID, as a browser does)."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    oc = order_commands(broker)
    place(Client(oc.port), "warm-up")
    console.env = {"CONSOLE_CLIENT_BUFFER": "200"}
    console.start()
    baseline = rss_kib(console.proc.pid)

    stalled = []
    for _ in range(10):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.settimeout(60)
        s.connect(("127.0.0.1", console.port))
        s.sendall(b"GET /log/events HTTP/1.1\r\nHost: console\r\nAccept: text/event-stream\r\n\r\n")
        stalled.append(s)

    commands = 2000
    total = commands + 1  # and the warm-up
    seen: list[list[str]] = [[] for _ in range(90)]
    reconnects = [0] * 90
    caught_up = threading.Barrier(91, timeout=300)
    failures: list[str] = []

    def read(index: int) -> None:
        last_id = None
        first = True
        try:
            while len(seen[index]) < total:
                stream = EventStream(console.port, headers={"Last-Event-ID": last_id} if last_id else None, timeout=120)
                try:
                    for frame in stream.frames():
                        if frame.get("event") == "log":
                            seen[index].append(position(frame))
                            last_id = frame["id"]
                            if len(seen[index]) == total:
                                break
                        elif frame.get("event") == "caught-up" and first:
                            first = False
                            caught_up.wait()
                finally:
                    stream.close()
                if len(seen[index]) < total:
                    reconnects[index] += 1
        except Exception as error:  # reported below, with the others
            failures.append(f"reader {index}: {error!r}")
            if first:
                caught_up.abort()

    readers = [threading.Thread(target=read, args=(n,), daemon=True) for n in range(90)]
    for thread in readers:
        thread.start()
    caught_up.wait()  # every reader is live before the commands start

    peak = [baseline]
    stop_sampling = threading.Event()

    def sample() -> None:
        while not stop_sampling.wait(0.2):
            peak[0] = max(peak[0], rss_kib(console.proc.pid))
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()

    def command(n: int) -> str:
        reply = Client(oc.port).request(
            "POST", "/orders", {"orderId": f"m-{n}", "customerId": "alice", "currency": "EUR",
                                "items": [{"sku": "TEA", "quantity": 1, "unitPrice": 450}]},
            headers={"Idempotency-Key": f"m-{n}"})
        assert reply.status == 201, (reply.status, reply.body)
        return reply.body["position"]

    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            appended = set(pool.map(command, range(commands)))
        for thread in readers:
            thread.join(timeout=600)
        assert not failures, failures[:5]
        assert not any(thread.is_alive() for thread in readers), "a reader did not get every event"
        for index in range(90):
            # Every event once: no gap (all of them) and no repeat (as many as there are).
            assert len(seen[index]) == total and appended <= set(seen[index]) and len(set(seen[index])) == total, index
        dropped = metric(console.port, "console_live_log_clients_dropped_total")
        assert dropped >= 10, f"the stalled clients were not dropped ({dropped})"
        assert Client(console.port).request("GET", "/health/live").status == 200
    finally:
        stop_sampling.set()
        sampler.join()
        for s in stalled:
            s.close()
    grown_mib = (peak[0] - baseline) / 1024
    print(f"console RSS: {baseline / 1024:.0f} MiB at start, {peak[0] / 1024:.0f} MiB at peak (+{grown_mib:.0f} MiB) "
          f"with 100 streams; {sum(reconnects)} reconnects of reading clients; {dropped:.0f} drops")
    # 100 streams, each with its own consumer and fold and a buffer of at most 200 events: tens
    # of MiB. A stalled client that kept everything would hold the whole log, for each of the 10.
    assert grown_mib < 400, f"the console grew by {grown_mib:.0f} MiB"


@pytest.mark.timeout(600)
def test_the_system_pages_dead_letters_come_from_the_topic_and_redrive_with_the_admin_token(
        broker, order_commands, notifiers, webhooks, console):
    """A webhook that refuses one order (400: dead-lettered at once): the console lists the entry
    from the dead-letter topic, with why; its redrive is relayed to the notifier with the
    caller's token, refused without the admin token, and delivers once the webhook takes it."""
    from helpers import wait_until
    from notifier import notifier_env, sink_name
    from order_query import fresh_postgres_database

    admin = "console-dlq-admin"
    oc = order_commands(broker)
    refusing = {"on": True}
    receiver = webhooks(policy=lambda arrival: 400 if refusing["on"] and arrival.order_id == "dl-1" else 200)
    nt = notifiers(broker, fresh_postgres_database("console_dlq_nt"),
                   env=notifier_env(receiver, admin_token=admin, max_attempts=2, retry_base_ms=50))
    console.env = {"ORDERS_COMMAND_URL": oc.url, "ORDERS_NOTIFIER_URL": nt.url}
    console.start()
    client = Client(oc.port)
    place(client, "dl-1")
    place(client, "dl-2")
    nt.wait_settled(at_least=2)

    c = Client(console.port)
    found = {}

    def listed() -> bool:
        found["entries"] = c.request("GET", "/system/dead-letters").body["entries"]
        return bool(found["entries"])
    wait_until(listed, "the dead-letter entry", 60)
    entries = found["entries"]
    assert [e["orderId"] for e in entries] == ["dl-1"], entries
    entry = entries[0]
    assert entry["sink"] == sink_name(receiver) and entry["eventType"] == "OrderPlaced" and entry["version"] == 1, entry
    assert "400" in entry["error"] and entry["attempts"] == 1, entry

    refused = c.request("POST", "/api/notifier/admin/dlq/redrive", {})
    assert refused.status == 401 and refused.body["type"] == "/problems/unauthorized", (refused.status, refused.body)
    refusing["on"] = False
    redriven = c.request("POST", "/api/notifier/admin/dlq/redrive", {}, headers={"Authorization": f"Bearer {admin}"})
    assert redriven.status == 202 and redriven.body == {"redriven": 1}, (redriven.status, redriven.body)
    wait_until(lambda: any(a.order_id == "dl-1" and a.ok for a in receiver.snapshot()), "the redriven delivery", 60)
