"""Two OrderCommand instances sharing orders.events through the order-command group (issue 6
acceptance 5): forwarding to the owner, one instance killed with SIGKILL mid-stream, the other
taking every partition; afterwards every 2xx command is in effect exactly once, and retrying
every command with its idempotency key appends nothing.
"""

from __future__ import annotations

import random
import threading
import time

import pytest

from helpers import wait_until
from order_command import Client, end_offsets, fold_log

PARTITIONS = 6


def owners(instance) -> dict:
    try:
        return instance.status()["owners"]
    except Exception:
        return {}


def send_until_answered(clients, method, path, body, key, deadline_s: float = 90.0):
    """A client that retries on 503 (and on a dead instance, the other one) with the same key."""
    deadline = time.monotonic() + deadline_s
    last = None
    while time.monotonic() < deadline:
        client = random.choice(clients)
        try:
            last = client.request(method, path, body, headers={"Idempotency-Key": key})
        except OSError:
            clients = [c for c in clients if c is not client] or clients
            continue
        if last.status != 503:
            return last
        time.sleep(float(last.headers.get("retry-after", "1")) / 4)
    return last


@pytest.mark.timeout(420)
def test_two_instances_forward_survive_a_kill9_and_never_duplicate(broker, order_commands):
    env = {"SESSION_TIMEOUT_MS": "6000", "COMMAND_DEADLINE_MS": "10000"}
    a = order_commands(broker, env=env)
    b = order_commands(broker, env=env)
    # Both in the group, the partitions split between them, and both know the owner map.
    wait_until(lambda: len(set(owners(a).values())) == 2 and owners(a) == owners(b) and len(owners(a)) == PARTITIONS, "both instances to own partitions", 90)
    a.wait_ready(90)
    b.wait_ready(90)

    rng = random.Random(6)
    clients = {a.port: Client(a.port), b.port: Client(b.port)}
    answered: dict[str, tuple] = {}  # key -> (method, path, body, reply)
    orders = [f"ord-{i}" for i in range(24)]

    # Phase 1: commands sent at random to either instance all succeed (forwarding).
    for order in orders:
        body = {"orderId": order, "customerId": "c", "currency": "EUR", "items": [{"sku": "A", "quantity": 1, "unitPrice": 10}]}
        reply = rng.choice(list(clients.values())).request("POST", "/orders", body, headers={"Idempotency-Key": f"place-{order}"})
        assert reply.status == 201, reply.body
        answered[f"place-{order}"] = ("POST", "/orders", body, reply)
    for i in range(60):
        order = orders[i % len(orders)]
        body = {"sku": f"S{i}", "quantity": 1, "unitPrice": 5}
        key = f"add-{i}"
        reply = rng.choice(list(clients.values())).request("POST", f"/orders/{order}/items", body, headers={"Idempotency-Key": key})
        assert reply.status == 200, reply.body
        answered[key] = ("POST", f"/orders/{order}/items", body, reply)

    # Phase 2: a stream of commands from several threads; a is killed with SIGKILL mid-stream.
    lock = threading.Lock()
    outcomes: dict[str, tuple] = {}

    def worker(w: int):
        local = [Client(a.port), Client(b.port)]
        for i in range(40):
            order = orders[(w * 7 + i) % len(orders)]
            key = f"w{w}-{i}"
            body = {"sku": f"W{w}-{i}", "quantity": 1, "unitPrice": 3}
            reply = send_until_answered(local, "POST", f"/orders/{order}/items", body, key)
            with lock:
                outcomes[key] = ("POST", f"/orders/{order}/items", body, reply)

    threads = [threading.Thread(target=worker, args=(w,)) for w in range(6)]
    for t in threads:
        t.start()
    wait_until(lambda: len(outcomes) >= 30, "the stream to be under way", 120)
    a.kill9()
    for t in threads:
        t.join(300)
    assert all(not t.is_alive() for t in threads)

    # b takes every partition and keeps serving.
    wait_until(lambda: set(owners(b).values()) == {b.url} and len(owners(b)) == PARTITIONS, "b to own every partition", 120)
    b.wait_ready(120)
    survivor = Client(b.port)
    late = survivor.request("POST", "/orders", {"orderId": "after-kill", "customerId": "c", "currency": "EUR", "items": []},
                            headers={"Idempotency-Key": "after-kill"})
    assert late.status == 201, late.body

    answered.update(outcomes)
    for key, (_, _, _, reply) in answered.items():
        assert reply is not None and reply.status in (200, 201, 409, 422), (key, reply and reply.body)
    succeeded = {key: v for key, v in answered.items() if 200 <= v[3].status < 300}
    assert len(succeeded) >= len(orders) + 60 + 100, f"only {len(succeeded)} commands succeeded"

    # Every 2xx command is in effect exactly once, at the position it was told.
    fold = fold_log(broker.bootstrap, PARTITIONS)
    by_command: dict[str, list] = {}
    for event in fold.in_effect():
        by_command.setdefault(event.headers["command-id"], []).append(event)
    for key, (_, _, _, reply) in succeeded.items():
        events = by_command.get(key, [])
        assert len(events) == 1, f"command {key} is in effect {len(events)} times"
        assert f"{events[0].partition}:{events[0].offset}" == reply.body["position"]
        assert events[0].version == reply.body["version"]
    for order in orders:
        versions = [e.version for e in fold.in_effect(order)]
        assert versions == list(range(1, len(versions) + 1))

    # Retrying every command with its idempotency key returns the first answer and appends nothing.
    before = end_offsets(broker.bootstrap, PARTITIONS)
    for key, (method, path, body, reply) in succeeded.items():
        retry = survivor.request(method, path, body, headers={"Idempotency-Key": key})
        assert retry.status == reply.status and retry.body == reply.body, (key, retry.body, reply.body)
    assert end_offsets(broker.bootstrap, PARTITIONS) == before
