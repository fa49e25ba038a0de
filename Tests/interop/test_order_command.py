"""OrderCommand over real HTTP against the real dev broker over TCP (issue 6 acceptance 1, 2, 4, 6).

The log is read back by software nobody here wrote (kcat, confluent-kafka) and folded by an
independent Python implementation of the fold rule (order_command.fold_log).
"""

from __future__ import annotations

import json
import subprocess
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from helpers import kafkawire_bin, kcat_bin, wait_until
from order_command import TOPIC, Client, end_offsets, fold_log, partition_of

PARTITIONS = 6
SCHEMAS = Path(__file__).resolve().parents[2] / "Shared" / "Events" / "Schemas"
TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


def canonical(body: dict) -> bytes:
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def kcat_partition(bootstrap: str, partition: int) -> list[dict]:
    """Every record of one partition, as kcat prints it: offset, key, headers, value bytes."""
    out = subprocess.run(
        [kcat_bin(), "-b", bootstrap, "-C", "-t", TOPIC, "-p", str(partition), "-o", "beginning", "-e", "-q",
         "-f", "%o\x1f%k\x1f%h\x1f%s\x1e"],
        capture_output=True, timeout=60, check=True).stdout
    records = []
    for chunk in out.split(b"\x1e"):
        if not chunk.strip(b"\n"):
            continue
        offset, key, headers, value = chunk.lstrip(b"\n").split(b"\x1f", 3)
        records.append({"offset": int(offset), "key": key.decode(), "value": value,
                        "headers": dict(h.split("=", 1) for h in headers.decode().split(","))})
    return records


def test_a_lifecycle_yields_exactly_the_expected_events_read_back_by_kcat(broker, order_commands):
    oc = order_commands(broker)
    client = Client(oc.port)
    steps = [
        ("POST", "/orders", {"orderId": "life-1", "customerId": "cust-9", "currency": "EUR",
                             "items": [{"sku": "TEA", "quantity": 3, "unitPrice": 450}]}, 201,
         "OrderPlaced", 2, {"currency": "EUR", "customerId": "cust-9", "items": [{"quantity": 3, "sku": "TEA", "unitPrice": 450}]}),
        ("POST", "/orders/life-1/items", {"sku": "MUG", "quantity": 1, "unitPrice": 1200}, 200,
         "ItemAdded", 1, {"quantity": 1, "sku": "MUG", "unitPrice": 1200}),
        ("POST", "/orders/life-1/items", {"sku": "SPOON", "quantity": 2, "unitPrice": 0}, 200,
         "ItemAdded", 1, {"quantity": 2, "sku": "SPOON", "unitPrice": 0}),
        ("DELETE", "/orders/life-1/items/SPOON", None, 200, "ItemRemoved", 1, {"sku": "SPOON"}),
        ("POST", "/orders/life-1/confirm", None, 200, "OrderConfirmed", 1, {"total": 3 * 450 + 1200}),
        ("POST", "/orders/life-1/ship", {"carrier": "DHL", "trackingNumber": "JD014600006"}, 200,
         "OrderShipped", 1, {"carrier": "DHL", "trackingNumber": "JD014600006"}),
        ("POST", "/orders/life-1/deliver", None, 200, "OrderDelivered", 1, {}),
    ]
    positions = []
    for version, (method, path, body, status, _, _, _) in enumerate(steps, start=1):
        reply = client.request(method, path, body, headers={"Idempotency-Key": f"life-{version}", "traceparent": TRACEPARENT,
                                                            "If-Match": f'"{version - 1}"'} if version > 1 else
                               {"Idempotency-Key": "life-1", "traceparent": TRACEPARENT})
        assert reply.status == status, reply.body
        assert reply.body["orderId"] == "life-1" and reply.body["version"] == version
        assert reply.headers["etag"] == f'"{version}"'
        positions.append(reply.body["position"])
    assert client.request("POST", "/orders", steps[0][2], headers={"Idempotency-Key": "life-1"}).headers.get("location") == "/orders/life-1"

    partition = partition_of("life-1", PARTITIONS)
    records = [r for r in kcat_partition(broker.bootstrap, partition) if r["key"] == "life-1"]
    assert len(records) == len(steps), "exactly one event per accepted command (the retried place appended nothing)"
    for version, (record, step, position) in enumerate(zip(records, steps, positions), start=1):
        _, _, _, _, event_type, schema_version, body = step
        assert position == f"{partition}:{record['offset']}"
        assert record["value"] == canonical(body), "the value, byte for byte"
        h = record["headers"]
        assert h["event-type"] == event_type
        assert h["schema-version"] == str(schema_version)
        assert h["aggregate-version"] == str(version)
        assert h["command-id"] == f"life-{version}"
        assert h["content-type"] == "application/json"
        assert h["traceparent"] == TRACEPARENT
        assert uuid.UUID(h["event-id"]).version == 4
        assert len(h["occurred-at"]) == 24 and h["occurred-at"].endswith("Z")
        Draft202012Validator(json.loads((SCHEMAS / f"{event_type}.v{schema_version}.schema.json").read_text())).validate(json.loads(record["value"]))
    # And a second order, cancelled, with a server-made order id derived from the key.
    placed = client.request("POST", "/orders", {"customerId": "cust-9", "currency": "CHF", "items": []}, headers={"Idempotency-Key": "derive-me"})
    assert placed.status == 201
    again = client.request("POST", "/orders", {"customerId": "cust-9", "currency": "CHF", "items": []}, headers={"Idempotency-Key": "derive-me"})
    assert again.body == placed.body
    assert client.request("POST", f"/orders/{placed.body['orderId']}/cancel", {"reason": "changed my mind"}).status == 200
    fold = fold_log(broker.bootstrap, PARTITIONS)
    assert fold.versions == {"life-1": 7, placed.body["orderId"]: 2}
    assert fold.void() == []


def test_every_refusal_has_its_problem_type_and_appends_nothing(broker, order_commands):
    oc = order_commands(broker, env={"MAX_LINES": "2", "MAX_QUANTITY": "10", "MAX_BODY_BYTES": "4096"})
    c = Client(oc.port)
    assert c.request("POST", "/orders", {"orderId": "e-1", "customerId": "c", "currency": "EUR",
                                         "items": [{"sku": "A", "quantity": 1, "unitPrice": 5}]}, headers={"Idempotency-Key": "e-1"}).status == 201
    assert c.request("POST", "/orders", {"orderId": "e-2", "customerId": "c", "currency": "EUR", "items": []}).status == 201
    assert c.request("POST", "/orders", {"orderId": "e-3", "customerId": "c", "currency": "EUR",
                                         "items": [{"sku": "A", "quantity": 1, "unitPrice": 5}]}).status == 201
    assert c.request("POST", "/orders/e-3/confirm").status == 200
    assert c.request("POST", "/orders", {"orderId": "e-4", "customerId": "c", "currency": "EUR", "items": []}).status == 201
    assert c.request("POST", "/orders/e-4/cancel", {"reason": "r"}).status == 200
    before = end_offsets(broker.bootstrap, PARTITIONS)

    item = {"sku": "B", "quantity": 1, "unitPrice": 5}
    cases = [
        # 400 validation
        ("POST", "/orders", None, b"{not json", {}, 400, "validation", None),
        ("POST", "/orders", None, b"[1,2]", {}, 400, "validation", None),
        ("POST", "/orders", None, b"", {}, 400, "validation", None),
        ("POST", "/orders", {"customerId": 7, "currency": "EUR", "items": []}, None, {}, 400, "validation", None),
        ("POST", "/orders", {"customerId": "c", "currency": "EUR"}, None, {}, 400, "validation", None),
        ("POST", "/orders", {"customerId": "c", "currency": "EUR", "items": [], "extra": 1}, None, {}, 400, "validation", None),
        ("POST", "/orders", {"customerId": "c", "currency": "euro", "items": []}, None, {}, 400, "validation", None),
        ("POST", "/orders", {"orderId": "a b", "customerId": "c", "currency": "EUR", "items": []}, None, {}, 400, "validation", None),
        ("POST", "/orders", {"orderId": "x'; DROP TABLE orders;--", "customerId": "c", "currency": "EUR", "items": []}, None, {}, 400, "validation", None),
        ("POST", "/orders/e-1/items", {"sku": "B", "quantity": 1.5, "unitPrice": 5}, None, {}, 400, "validation", None),
        ("POST", "/orders/e-1/items", {"sku": "B", "quantity": 99999999999999999999, "unitPrice": 5}, None, {}, 400, "validation", None),
        ("POST", "/orders/e-1/items", {"sku": "B", "quantiy": 1, "unitPrice": 5}, None, {}, 400, "validation", None),
        ("POST", "/orders/e-1/items", {"sku": "", "quantity": 1, "unitPrice": 5}, None, {}, 400, "validation", None),
        ("POST", "/orders/e-1/items", None, json.dumps({"sku": "B" * 5000, "quantity": 1, "unitPrice": 5}).encode(), {}, 400, "validation", None),
        ("POST", "/orders/e-1/confirm", None, b'{"x":1}', {}, 400, "validation", None),
        ("POST", "/orders/e-1/items", item, None, {"If-Match": "three"}, 400, "validation", None),
        ("POST", "/orders/e-1/items", item, None, {"Idempotency-Key": "has space"}, 400, "validation", None),
        ("POST", "/orders/e-1/ship", {"carrier": "", "trackingNumber": "t"}, None, {}, 400, "validation", None),
        # 404
        ("POST", "/orders/nobody/confirm", None, None, {}, 404, "order-not-found", None),
        ("DELETE", "/orders/nobody/items/A", None, None, {}, 404, "order-not-found", None),
        # 409
        ("POST", "/orders/e-1/items", item, None, {"If-Match": '"7"'}, 409, "version-conflict", None),
        # 422 rules
        ("POST", "/orders", {"orderId": "e-1", "customerId": "c", "currency": "EUR", "items": []}, None, {}, 422, "rule-violated", "order-already-exists"),
        ("POST", "/orders/e-1/items", {"sku": "B", "quantity": 0, "unitPrice": 5}, None, {}, 422, "rule-violated", "quantity-not-positive"),
        ("POST", "/orders/e-1/items", {"sku": "B", "quantity": 11, "unitPrice": 5}, None, {}, 422, "rule-violated", "quantity-too-large"),
        ("POST", "/orders/e-1/items", {"sku": "B", "quantity": 1, "unitPrice": -1}, None, {}, 422, "rule-violated", "unit-price-out-of-range"),
        ("POST", "/orders/e-1/items", {"sku": "A", "quantity": 1, "unitPrice": 5}, None, {}, 422, "rule-violated", "duplicate-sku"),
        ("DELETE", "/orders/e-1/items/Z", None, None, {}, 422, "rule-violated", "item-not-in-order"),
        ("POST", "/orders/e-2/confirm", None, None, {}, 422, "rule-violated", "no-items"),
        ("POST", "/orders/e-1/ship", {"carrier": "DHL", "trackingNumber": "t"}, None, {}, 422, "rule-violated", "not-confirmed"),
        ("POST", "/orders/e-1/deliver", None, None, {}, 422, "rule-violated", "not-shipped"),
        ("POST", "/orders/e-3/items", item, None, {}, 422, "rule-violated", "items-locked"),
        ("POST", "/orders/e-3/confirm", None, None, {}, 422, "rule-violated", "already-confirmed"),
        ("POST", "/orders/e-4/confirm", None, None, {}, 422, "rule-violated", "order-cancelled"),
        ("POST", "/orders", {"orderId": "e-5", "customerId": "c", "currency": "EUR",
                             "items": [{"sku": s, "quantity": 1, "unitPrice": 1} for s in "XYZ"]}, None, {}, 422, "rule-violated", "too-many-lines"),
        ("POST", "/orders/e-1/confirm", None, None, {"Idempotency-Key": "e-1"}, 422, "idempotency-key-reuse", None),
    ]
    for method, path, body, raw, headers, status, kind, rule in cases:
        reply = c.request(method, path, body, headers=headers, raw=raw)
        assert reply.status == status, (method, path, body, raw, reply.status, reply.body)
        assert reply.headers["content-type"] == "application/problem+json"
        assert reply.body["type"] == f"/problems/{kind}" and reply.body["status"] == status
        assert reply.body["title"] and reply.body["detail"]
        if rule:
            assert reply.body["rule"] == rule, reply.body
    conflict = c.request("POST", "/orders/e-1/items", item, headers={"If-Match": '"7"'})
    assert conflict.body["currentVersion"] == 1
    # An oversized body (over MAX_BODY_BYTES) is refused without being read to the end.
    big = c.request("POST", "/orders/e-1/cancel", None, raw=json.dumps({"reason": "x" * 10_000}).encode())
    assert big.status == 400 and big.body["type"] == "/problems/validation" and "larger" in big.body["detail"]
    assert end_offsets(broker.bootstrap, PARTITIONS) == before, "a refused command appends nothing"
    assert c.request("GET", "/health/live").status == 200


def run_parallel(jobs, workers=100):
    local = threading.local()

    def call(job):
        if not hasattr(local, "client"):
            local.client = Client(job[0])
        _, method, path, body, headers = job
        return job, local.client.request(method, path, body, headers=headers)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(call, jobs))


@pytest.mark.timeout(300)
def test_concurrent_commands_one_if_match_winner_and_no_gaps(broker, order_commands):
    oc = order_commands(broker, env={"MAX_LINES": "2000", "COMMAND_DEADLINE_MS": "60000"})
    c = Client(oc.port)
    assert c.request("POST", "/orders", {"orderId": "hot", "customerId": "c", "currency": "EUR", "items": []}).status == 201
    jobs = [(oc.port, "POST", "/orders/hot/items", {"sku": f"S{i}", "quantity": 1, "unitPrice": 1},
             {"If-Match": '"1"', "Idempotency-Key": f"hot-{i}"}) for i in range(1000)]
    replies = [r for _, r in run_parallel(jobs)]
    winners = [r for r in replies if 200 <= r.status < 300]
    assert len(winners) == 1, f"{len(winners)} winners"
    assert all(r.status == 409 and r.body["type"] == "/problems/version-conflict" for r in replies if r not in winners)
    assert winners[0].body["version"] == 2

    orders = [f"multi-{i}" for i in range(10)]
    for order in orders:
        assert c.request("POST", "/orders", {"orderId": order, "customerId": "c", "currency": "EUR", "items": []}).status == 201
    jobs = [(oc.port, "POST", f"/orders/{orders[i % 10]}/items", {"sku": f"S{i}", "quantity": 1, "unitPrice": 1},
             {"Idempotency-Key": f"multi-{i}"}) for i in range(1000)]
    results = run_parallel(jobs)
    fold = fold_log(broker.bootstrap, PARTITIONS)
    in_effect = {(e.partition, e.offset): e for e in fold.in_effect()}
    ok = 0
    for job, reply in results:
        assert reply.status in (200, 409, 503), reply.body
        if reply.status == 200:
            ok += 1
            p, o = map(int, reply.body["position"].split(":"))
            event = in_effect.get((p, o))
            assert event is not None, f"a 2xx answer's event is not in effect: {reply.body}"
            assert event.order_id == reply.body["orderId"] and event.version == reply.body["version"]
            assert event.headers["command-id"] == job[4]["Idempotency-Key"]
    assert ok >= 10
    for order in orders + ["hot"]:
        versions = [e.version for e in fold.in_effect(order)]
        assert versions == list(range(1, len(versions) + 1)), (order, versions)
    # Every version written to the log that is in effect came from exactly one command.
    command_ids = [e.headers["command-id"] for e in fold.in_effect()]
    assert len(command_ids) == len(set(command_ids))


@pytest.mark.timeout(300)
def test_a_foreign_writer_on_the_same_partition_never_contradicts_a_2xx(broker, order_commands):
    oc = order_commands(broker, env={"MAX_LINES": "5000", "COMMAND_DEADLINE_MS": "30000"})
    c = Client(oc.port)
    orders = [f"fw-{i}" for i in range(4)]
    seen = {}
    for order in orders:
        reply = c.request("POST", "/orders", {"orderId": order, "customerId": "c", "currency": "EUR", "items": []})
        assert reply.status == 201
        seen[order] = 1
    stop = threading.Event()
    lock = threading.Lock()
    foreign_written = []

    def foreign_writer():
        # A raw KafkaWire producer appending conflicting events: each claims the version after the
        # last one an HTTP answer showed, racing the instance for it.
        i = 0
        while not stop.is_set() and i < 120:
            order = orders[i % len(orders)]
            with lock:
                version = seen[order] + 1
            line = f"{order}\t" + json.dumps({"sku": f"F{i}", "quantity": 1, "unitPrice": 1}, separators=(",", ":"))
            subprocess.run(
                [kafkawire_bin(), "produce", "--brokers", broker.bootstrap, "--topic", TOPIC, "--key-delimiter", "\t",
                 "--header", "event-type=ItemAdded", "--header", f"event-id={uuid.uuid4()}", "--header", "schema-version=1",
                 "--header", f"aggregate-version={version}", "--header", f"command-id=foreign-{i}",
                 "--header", "occurred-at=2026-11-30T00:00:00.000Z", "--header", "content-type=application/json"],
                input=(line + "\n").encode(), check=True, timeout=60, capture_output=True)
            foreign_written.append(i)
            i += 1

    writer = threading.Thread(target=foreign_writer)
    writer.start()
    answers = []
    try:
        local = threading.local()

        def command(i):
            if not hasattr(local, "client"):
                local.client = Client(oc.port)
            order = orders[i % len(orders)]
            reply = local.client.request("POST", f"/orders/{order}/items", {"sku": f"H{i}", "quantity": 1, "unitPrice": 1},
                                         headers={"Idempotency-Key": f"h-{i}"})
            if reply.status == 200:
                with lock:
                    seen[order] = max(seen[order], reply.body["version"])
            return i, reply

        with ThreadPoolExecutor(max_workers=8) as pool:
            answers = list(pool.map(command, range(600)))
    finally:
        stop.set()
        writer.join(120)
    fold = fold_log(broker.bootstrap, PARTITIONS)
    by_position = {(e.partition, e.offset): e for e in fold.events}
    statuses = [r.status for _, r in answers]
    assert statuses.count(200) > 0
    for i, reply in answers:
        assert reply.status in (200, 409, 503), reply.body
        if reply.status == 200:
            p, o = map(int, reply.body["position"].split(":"))
            event = by_position[(p, o)]
            assert event.in_effect, f"2xx answer {reply.body} contradicted by the fold: the event is void"
            assert event.headers["command-id"] == f"h-{i}" and event.version == reply.body["version"]
        if reply.status == 409:
            assert reply.body["type"] in ("/problems/write-conflict", "/problems/version-conflict")
    assert foreign_written, "the foreign writer wrote nothing"
    assert fold.void(), "no conflict happened: the test did not exercise two writers"
    for order in orders:
        versions = [e.version for e in fold.in_effect(order)]
        assert versions == list(range(1, len(versions) + 1))


def test_sigterm_stops_the_service_gracefully(broker, order_commands):
    oc = order_commands(broker)
    c = Client(oc.port)
    assert c.request("POST", "/orders", {"orderId": "bye", "customerId": "c", "currency": "EUR", "items": []}).status == 201
    c.close()
    oc.proc.send_signal(__import__("signal").SIGTERM)
    # A generous bound: a graceful stop (leave the group, flush the producer) takes a moment,
    # a hung one never ends.
    assert oc.proc.wait(60) == 0, oc.log_tail()


def test_an_unreadable_event_stops_its_partition_not_the_service(broker, order_commands):
    oc = order_commands(broker)
    c = Client(oc.port)
    assert c.request("POST", "/orders", {"orderId": "ok-1", "customerId": "c", "currency": "EUR", "items": []}).status == 201
    # A writer newer than this reader appends version 1 of a fresh order in schema version 9.
    victim = "from-the-future"
    line = f"{victim}\t" + json.dumps({"customerId": "c", "currency": "EUR", "items": []}, separators=(",", ":"))
    subprocess.run(
        [kafkawire_bin(), "produce", "--brokers", broker.bootstrap, "--topic", TOPIC, "--key-delimiter", "\t",
         "--header", "event-type=OrderPlaced", "--header", f"event-id={uuid.uuid4()}", "--header", "schema-version=9",
         "--header", "aggregate-version=1", "--header", "command-id=future-1",
         "--header", "occurred-at=2026-11-30T00:00:00.000Z", "--header", "content-type=application/json"],
        input=(line + "\n").encode(), check=True, timeout=60, capture_output=True)
    stopped = partition_of(victim, PARTITIONS)

    wait_until(lambda: c.request("GET", "/health/ready").status == 503, "the partition to stop")
    reply = c.request("GET", "/health/ready")
    assert reply.status == 503 and reply.body["type"] == "/problems/unavailable"
    assert f"partition {stopped}" in reply.body["detail"] and "newer" in reply.body["detail"], reply.body
    # Commands on the stopped partition are refused without appending; other partitions serve.
    before = end_offsets(broker.bootstrap, PARTITIONS)
    refused = c.request("POST", f"/orders/{victim}/confirm")
    assert refused.status == 503 and refused.body["type"] == "/problems/unavailable", refused.body
    assert end_offsets(broker.bootstrap, PARTITIONS) == before
    elsewhere = next(f"other-{i}" for i in range(1000) if partition_of(f"other-{i}", PARTITIONS) != stopped)
    assert c.request("POST", "/orders", {"orderId": elsewhere, "customerId": "c", "currency": "EUR", "items": []}).status == 201
    metrics = c.request("GET", "/metrics").raw.decode()
    assert 'order_command_unreadable_events_total{kind="newer-schema-version"} 1' in metrics
