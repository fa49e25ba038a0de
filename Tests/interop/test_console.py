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
