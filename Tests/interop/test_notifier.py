"""Notifier acceptance, against the real dev broker over TCP, a real local webhook receiver over
HTTP, and the ledger on PostgreSQL and on SQLite. The events are written straight to
orders.events with the envelope headers (order_query.History), including a second writer's
void events; what should be sent is computed again in Python from the log (notifier.py).

1. Orders through their lifecycles, with void events: every sink (log, file, webhook) gets
   exactly the expected notifications, the same bodies, and orders.notifications one record
   per delivery; void events and item changes notify nobody.
2. A webhook failing the first attempts: retried with a growing backoff (lower bounds only),
   the same Idempotency-Key, valid signatures, one delivery in the ledger; Retry-After,
   connection errors and timeouts are retried too.
3. A webhook failing one order for good: the event is dead-lettered with its headers, while the
   same partition's other orders are delivered during its retries; a 400 dead-letters at once.
4. kill -9 during 10,000 deliveries: everything arrives, at most `concurrency` twice.
5. Replays (nothing re-sent; with resend, everything once more) and DLQ redrives; the admin
   routes' refusals.
And: an unreadable event is dead-lettered and the fold goes on; a deployment starting at the end,
and a sink added later, are filled in by a replay; invalid settings stop the process with a
message; NOTIFIER_TEMPLATES_DIR overrides a template.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from pathlib import Path

import pytest

from helpers import free_port, wait_until
from notifier import (DEAD_LETTER_TOPIC, admin, always, error_lines, every_partition, expected_notifications,
                      fail_orders, log_entries, money, notifier_env, read_dead_letters, read_jsonl, read_notifications,
                      render, retry_log, sink_name)
from order_command import partition_of
from order_query import History, create_topic

PARTITIONS = 6
SECRET = "whsec-interop-7f3a"
TOKEN = "notifier-admin-token"
SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def placed(customer: str, currency: str, *items) -> dict:
    return {"customerId": customer, "currency": currency,
            "items": [{"sku": sku, "quantity": quantity, "unitPrice": price} for sku, quantity, price in items]}


def write_story(broker) -> tuple[History, dict]:
    """A few orders through their lifecycles, written straight to orders.events, with void
    events of notifying kinds from a second writer; then random lifecycles (with void item
    events). Returns the history and the named void events as (order id, version, event type)."""
    h = History(broker.bootstrap, PARTITIONS, seed=101)
    voids = {}

    a = "n-life-1"
    h.event(a, "OrderPlaced", placed("c-ada", "EUR", ("BOOK-1", 2, 1250), ("PEN-7", 1, 5)))
    h.event(a, "ItemAdded", {"sku": "MUG-3", "quantity": 3, "unitPrice": 899})
    h.event(a, "ItemRemoved", {"sku": "PEN-7"})
    h.event(a, "OrderConfirmed", {"total": 5197})
    # A second writer: the version just taken, taken again.
    h._send(a, "OrderCancelled", {"reason": "a second writer's duplicate"}, h.versions[a])
    voids["duplicate-version"] = (a, h.versions[a], "OrderCancelled")
    h.event(a, "OrderShipped", {"carrier": "DHL", "trackingNumber": "JD014600003"})
    # A version that is not the next one.
    h._send(a, "OrderDelivered", {}, h.versions[a] + 2)
    voids["version-not-next"] = (a, h.versions[a] + 2, "OrderDelivered")
    h.event(a, "OrderDelivered", {})

    b = "n-cancel-2"
    h.event(b, "OrderPlaced", placed("c-bob", "USD", ("CHAIR", 1, 4999)))
    h.event(b, "ItemAdded", {"sku": "LAMP", "quantity": 2, "unitPrice": 1999})
    # Nothing of a notification is HTML-escaped: quotes, ampersands, angle brackets, non-ASCII.
    h.event(b, "OrderCancelled", {"reason": "doppelt – «sorry» & <b>O'Brien</b> \"twice\""})

    c = "n-yen-3"
    h.event(c, "OrderPlaced", placed("c-chi", "JPY", ("TEA", 3, 1500)))
    h.event(c, "OrderConfirmed", {"total": 4500})
    h.event(c, "OrderShipped", {"carrier": "UPS", "trackingNumber": "1Z999"})

    d = "n-wrong-4"
    # The order's first event written to another partition than its key's: void; then the
    # same version on the right partition is in effect.
    wrong = (partition_of(d, PARTITIONS) + 1) % PARTITIONS
    h._send(d, "OrderPlaced", placed("c-dan", "EUR", ("X", 1, 1)), 1, partition=wrong)
    voids["wrong-partition"] = (d, 1, "OrderPlaced")
    h.event(d, "OrderPlaced", placed("c-dan", "EUR", ("CENTS", 1, 5)))
    h.event(d, "OrderConfirmed", {"total": 5})

    for n in range(40):
        h.lifecycle(f"n-rand-{n:03d}", f"c-{n % 7}", void_every=3)
    h.flush()
    return h, voids


def find_voids(expected, voids: dict) -> dict:
    """The event ids of the named void events, checked to be void by the Python fold."""
    found = {}
    for name, (order_id, version, event_type) in voids.items():
        ids = [eid for eid, e in expected.events.items()
               if e.order_id == order_id and e.version == version and e.headers["event-type"] == event_type
               and eid in expected.void]
        assert len(ids) == 1, (name, ids)
        found[name] = ids[0]
    return found


@pytest.mark.timeout(300)
def test_every_sink_gets_exactly_the_expected_notifications(broker, database_url, notifiers, webhooks, tmp_path):
    create_topic(broker.bootstrap, PARTITIONS)
    receiver = webhooks(secret=SECRET)
    jsonl = tmp_path / "out" / "notifications.jsonl"
    sinks = ["log", jsonl, receiver]
    names = [sink_name(s) for s in sinks]
    notifier = notifiers(broker, database_url, env=notifier_env(*sinks, secret=SECRET))
    _, voids = write_story(broker)

    expected = expected_notifications(broker.bootstrap, PARTITIONS)
    void_ids = find_voids(expected, voids)
    assert len(expected.void) > len(void_ids) and expected.silent, "the history should have void and item events"
    want = expected.notifications
    status = notifier.wait_settled(at_least=len(want) * len(sinks))
    assert status["deliveries"] == {"pending": 0, "delivered": len(want) * len(sinks), "deadLettered": 0}
    assert status["sinks"] == names
    assert status["deadLetterTopic"] == {"topic": DEAD_LETTER_TOPIC, "records": 0}

    # The story's notifications, worded by the default templates.
    life = expected.of_order("n-life-1")
    assert [(n["kind"], n["version"]) for n in life] == [
        ("order-placed", 1), ("order-confirmed", 4), ("order-shipped", 5), ("order-delivered", 6)]
    assert life[0]["subject"] == "We received your order n-life-1"
    assert life[0]["text"] == ("Hello c-ada, thank you for your order n-life-1: 3 item(s), 25.05 EUR in all.\n"
                               "- 2 x BOOK-1 at 12.50 EUR\n- 1 x PEN-7 at 0.05 EUR")
    assert life[1]["text"] == "Hello c-ada, your order n-life-1 is confirmed; its total is 51.97 EUR."
    cancelled = expected.of_order("n-cancel-2")
    assert [n["kind"] for n in cancelled] == ["order-placed", "order-cancelled"]
    assert cancelled[1]["text"] == ("Hello c-bob, your order n-cancel-2 was cancelled: "
                                    "doppelt – «sorry» & <b>O'Brien</b> \"twice\".")
    assert expected.of_order("n-yen-3")[1]["text"].endswith("its total is 4500 JPY.")
    assert [n["version"] for n in expected.of_order("n-wrong-4")] == [1, 2]

    # The webhook: every expected notification exactly once, nothing else, signed.
    arrivals = receiver.snapshot()
    webhook = {}
    for arrival in arrivals:
        assert (arrival.method, arrival.path, arrival.status) == ("POST", "/hook", 200), arrival
        webhook.setdefault(arrival.event_id, []).append(arrival)
    assert sorted(webhook) == sorted(want)
    for event_id, notification in want.items():
        [arrival] = webhook[event_id]
        assert arrival.json == notification
        assert arrival.headers["content-type"] == "application/json"
        assert arrival.key == event_id and arrival.headers["notifier-event-id"] == event_id
        assert arrival.signature_ok, arrival.headers
    assert receiver.bad_signatures == 0

    # The file: the same bodies, byte for byte, one line each.
    lines = read_jsonl(jsonl)
    in_file = {}
    for raw, parsed in lines:
        in_file.setdefault(parsed["eventId"], []).append((raw, parsed))
    assert sorted(in_file) == sorted(want)
    for event_id, notification in want.items():
        [(raw, parsed)] = in_file[event_id]
        assert parsed == notification
        assert raw == webhook[event_id][0].body

    # One order's notifications reach a sink in version order.
    file_order = [parsed["eventId"] for _, parsed in lines]
    for order_id in {n["orderId"] for n in want.values()}:
        versions = [n["eventId"] for n in expected.of_order(order_id)]
        assert [e for e in file_order if e in versions] == versions, order_id
        assert [a.event_id for a in arrivals if a.event_id in versions] == versions, order_id

    # The log sink: one info line per notification, the subject as the message.
    log = notifier.log_text()
    for event_id, notification in want.items():
        entries = log_entries(log, event_id)
        assert len(entries) == 1, (event_id, entries)
        entry = entries[0]
        assert f"notification.kind={notification['kind']} notification.text={notification['text']} " \
               f"order.id={notification['orderId']} order.version={notification['version']} [" in entry, entry
        assert entry.endswith(f"] {notification['subject']}"), entry
        assert notification["subject"] in log
    # Void events and item changes notify nobody, anywhere.
    for event_id in expected.void | expected.silent:
        assert event_id not in log, event_id
        assert event_id not in webhook and event_id not in in_file
    for name, event_id in void_ids.items():
        assert event_id not in jsonl.read_text(), name

    # The ledger, per order: each notification with a delivery per sink.
    for order_id in {n["orderId"] for n in want.values()}:
        served = notifier.notifications(order_id)
        assert [s["notification"] for s in served] == expected.of_order(order_id)
        for s in served:
            assert sorted(d["sink"] for d in s["deliveries"]) == sorted(names)
            for delivery in s["deliveries"]:
                assert (delivery["status"], delivery["attempts"], delivery["round"]) == ("delivered", 1, 0), delivery
                assert "lastError" not in delivery and delivery["deliveredAtMs"] > 0
    assert notifier.notifications("never-placed") == []

    # orders.notifications: one record per delivery, keyed by the order, naming its sink.
    records = read_notifications(broker.bootstrap, PARTITIONS)
    assert Counter((r.headers["event-id"], r.headers["sink"]) for r in records) == \
        Counter({(event_id, name): 1 for event_id in want for name in names})
    for record in records:
        notification = want[record.headers["event-id"]]
        assert record.key == notification["orderId"]
        assert record.json == notification
        assert record.headers["notification-kind"] == notification["kind"]
        assert record.headers["content-type"] == "application/json"
    assert read_dead_letters(broker.bootstrap, PARTITIONS) == []
    assert error_lines(log) == []


@pytest.mark.timeout(240)
def test_failed_attempts_are_retried_with_backoff_and_recorded_once(broker, database_url, notifiers, webhooks):
    create_topic(broker.bootstrap, PARTITIONS)
    base_ms, failures = 200, 3

    def policy(arrival):
        if arrival.order_id == "r-check":
            return 200
        if arrival.order_id == "r-429":
            return (429, {"Retry-After": "1"}) if arrival.attempt == 1 else 200
        return 503 if arrival.attempt <= failures else 200

    receiver = webhooks(secret=SECRET, policy=policy)
    sink = sink_name(receiver)
    notifier = notifiers(broker, database_url, env=notifier_env(receiver, secret=SECRET, retry_base_ms=base_ms, max_attempts=8))
    h = History(broker.bootstrap, PARTITIONS, seed=202)
    h.event("r-1", "OrderPlaced", placed("c-r", "EUR", ("A", 1, 1000)))
    h.event("r-1", "OrderConfirmed", {"total": 1000})
    h.event("r-429", "OrderPlaced", placed("c-r", "USD", ("B", 2, 300)))
    h.flush()
    notifier.wait_settled(at_least=3)
    # Nothing is pending now, so nothing more of the above can come; a later order still goes
    # through, and alone.
    h.event("r-check", "OrderPlaced", placed("c-r", "EUR", ("C", 1, 1)))
    h.flush()
    notifier.wait_settled(at_least=4)

    expected = expected_notifications(broker.bootstrap, PARTITIONS)
    log = notifier.log_text()
    logged = retry_log(log)
    placed_id, confirmed_id = [n["eventId"] for n in expected.of_order("r-1")]
    for event_id in (placed_id, confirmed_id):
        attempts = receiver.for_key(event_id)
        assert [(a.attempt, a.status) for a in attempts] == [(1, 503), (2, 503), (3, 503), (4, 200)]
        for a in attempts:
            assert a.json == expected.notifications[event_id]
            assert a.headers["notifier-event-id"] == event_id
            assert a.signature_ok is True, a.headers
            assert int(a.headers["notifier-timestamp"]) > 1_700_000_000_000
        # Lower bounds only: the wait after attempt k is at least half its step base·2^(k-1)
        # (load can only make a gap longer); the logged delay lies within the step.
        gaps = [later.at - earlier.at for earlier, later in zip(attempts, attempts[1:])]
        delays = [r for r in logged if r["event.id"] == event_id]
        assert [int(r["attempt"]) for r in delays] == [1, 2, 3], delays
        for k, (gap, delay) in enumerate(zip(gaps, delays), start=1):
            step = base_ms * 2 ** (k - 1)
            assert gap >= step / 2 / 1000, f"attempt {k + 1} came {gap * 1000:.1f} ms after attempt {k}, less than {step / 2} ms"
            assert step / 2 <= int(delay["retry_in_ms"]) <= step, delay
            assert gap >= int(delay["retry_in_ms"]) / 1000, (gap, delay)
        served = [n for n in notifier.notifications("r-1") if n["notification"]["eventId"] == event_id]
        assert served == [{"notification": expected.notifications[event_id], "deliveries": [
            {**served[0]["deliveries"][0], "sink": sink, "status": "delivered", "round": 0, "attempts": failures + 1}]}]
        assert "lastError" not in served[0]["deliveries"][0]
    # One order's notifications go in order: the confirmation only once the placement is delivered.
    assert receiver.for_key(confirmed_id)[0].seq > receiver.for_key(placed_id)[-1].seq

    # A Retry-After wins over the backoff (whose step here is 200 ms).
    [too_many] = [n["eventId"] for n in expected.of_order("r-429")]
    first, second = receiver.for_key(too_many)
    assert (first.status, second.status) == (429, 200)
    assert second.at - first.at >= 1.0
    assert [r["retry_in_ms"] for r in logged if r["event.id"] == too_many] == ["1000"]
    [served] = notifier.notifications("r-429")
    assert served["deliveries"][0]["attempts"] == 2 and served["deliveries"][0]["status"] == "delivered"

    assert receiver.bad_signatures == 0 and receiver.policy_errors == []
    assert len(receiver.snapshot()) == 2 * (failures + 1) + 2 + 1
    records = read_notifications(broker.bootstrap, PARTITIONS)
    assert Counter(r.headers["event-id"] for r in records) == Counter({e: 1 for e in expected.notifications})
    assert notifier.status()["deliveries"] == {"pending": 0, "delivered": 4, "deadLettered": 0}


@SQLITE_ONLY
@pytest.mark.timeout(180)
def test_connection_errors_and_timeouts_are_retried(broker, database_url, notifiers, webhooks):
    create_topic(broker.bootstrap, PARTITIONS)
    port = free_port()
    url = f"http://127.0.0.1:{port}/hook"
    notifier = notifiers(broker, database_url, env=notifier_env(
        f"webhook:{url}", retry_base_ms=50, retry_max_ms=200, max_attempts=100, webhook_timeout_ms=500))
    h = History(broker.bootstrap, PARTITIONS, seed=909)
    h.event("w-1", "OrderPlaced", placed("c-w", "EUR", ("A", 1, 100)))
    h.flush()
    last = []

    def refused_twice() -> bool:
        last[:] = notifier.notifications("w-1")
        return bool(last) and bool(last[0]["deliveries"]) and last[0]["deliveries"][0]["attempts"] >= 2

    # Nobody listens yet: the attempts fail to connect and are retried.
    wait_until(refused_twice, "two failed attempts to connect", 60, detail=lambda: f" (last: {last})")
    [delivery] = last[0]["deliveries"]
    assert delivery["status"] == "pending" and delivery["lastError"], delivery

    # Then a receiver that answers the first request it gets only once the notifier, having
    # given up waiting for that answer, sent the request again.
    def policy(arrival):
        if arrival.attempt == 1:
            held.append(receiver.wait_for(lambda: len(receiver.arrivals) >= 2, 60))
        return 200

    held = []
    receiver = webhooks(policy=policy, port=port)
    notifier.wait_settled(at_least=1)
    expected = expected_notifications(broker.bootstrap, PARTITIONS)
    [event_id] = expected.notifications
    assert held == [True]
    arrivals = receiver.snapshot()
    assert [(a.key, a.attempt) for a in arrivals] == [(event_id, 1), (event_id, 2)]
    assert all(a.json == expected.notifications[event_id] for a in arrivals)
    [delivery] = notifier.notifications("w-1")[0]["deliveries"]
    assert delivery["status"] == "delivered" and delivery["attempts"] >= 4, delivery
    assert [r.headers["event-id"] for r in read_notifications(broker.bootstrap, PARTITIONS)] == [event_id]


@pytest.mark.timeout(240)
def test_a_failing_order_is_dead_lettered_without_holding_up_its_partition(broker, database_url, notifiers, webhooks):
    create_topic(broker.bootstrap, PARTITIONS)
    bad = "d-bad"
    partition = partition_of(bad, PARTITIONS)
    same = [f"d-{n:03d}" for n in range(500) if partition_of(f"d-{n:03d}", PARTITIONS) == partition]
    wave1, wave2, refused = same[:8], same[8:16], same[16]
    gates = []

    def delivered(order_ids):
        return lambda: {a.order_id for a in receiver.arrivals if a.ok} >= set(order_ids)

    def failing(arrival) -> bool:
        return arrival.order_id == bad and arrival.json["kind"] == "order-placed"

    def policy(arrival):
        if failing(arrival):
            # Held answers: a notifier that delivered a partition in order (one order's
            # retries blocking the rest) would never get the others here, and fail the gate.
            if arrival.attempt == 1:
                gates.append(("wave1", receiver.wait_for(delivered(wave1), 60)))
            if arrival.attempt == 3:
                gates.append(("wave2", receiver.wait_for(delivered(wave2), 60)))
            return 500
        if arrival.order_id == refused:
            return 400
        return 200

    receiver = webhooks(policy=policy)
    sink = sink_name(receiver)
    notifier = notifiers(broker, database_url, env=notifier_env(
        receiver, max_attempts=4, retry_base_ms=100, webhook_timeout_ms=120_000))
    h = History(broker.bootstrap, PARTITIONS, seed=303)
    h.event(bad, "OrderPlaced", placed("c-d", "EUR", ("A", 1, 100)))
    for order_id in [*wave1, refused]:
        h.event(order_id, "OrderPlaced", placed("c-d", "EUR", ("A", 1, 100)))
    h.flush()
    # The second wave is written while the failing order's retries run, with the failing
    # order's next event, which goes once the first is given up.
    wait_until(lambda: len([a for a in receiver.snapshot() if failing(a)]) >= 2, "the failing order's second attempt", 60)
    for order_id in wave2:
        h.event(order_id, "OrderPlaced", placed("c-d", "USD", ("B", 2, 50)))
    h.event(bad, "OrderConfirmed", {"total": 100})
    h.flush()
    status = notifier.wait_settled(at_least=len(wave1) + len(wave2) + 3)

    expected = expected_notifications(broker.bootstrap, PARTITIONS)
    assert gates == [("wave1", True), ("wave2", True)]
    attempts = [a for a in receiver.snapshot() if failing(a)]
    assert [(a.attempt, a.status) for a in attempts] == [(1, 500), (2, 500), (3, 500), (4, 500)]
    last = attempts[-1]
    for order_id in wave1 + wave2:
        [ok] = [a for a in receiver.for_order(order_id) if a.ok]
        assert ok.seq < last.seq, f"{order_id} arrived after the failing order's last attempt"
    # The failing order moves on: its next notification, once the first was given up.
    [moved_on] = [a for a in receiver.for_order(bad) if not failing(a)]
    assert (moved_on.json["kind"], moved_on.attempt, moved_on.status) == ("order-confirmed", 1, 200)
    assert moved_on.seq > last.seq
    assert [(a.attempt, a.status) for a in receiver.for_order(refused)] == [(1, 400)]
    assert receiver.policy_errors == []

    assert status["deliveries"] == {"pending": 0, "delivered": len(wave1) + len(wave2) + 1, "deadLettered": 2}
    assert status["deadLetterTopic"] == {"topic": DEAD_LETTER_TOPIC, "records": 2}
    gave_up, confirmed = notifier.notifications(bad)
    [delivery] = gave_up["deliveries"]
    assert (delivery["sink"], delivery["status"], delivery["attempts"], delivery["round"]) == (sink, "dead-lettered", 4, 0)
    assert "500" in delivery["lastError"] and "deliveredAtMs" not in delivery
    assert [(d["status"], d["attempts"]) for d in confirmed["deliveries"]] == [("delivered", 1)]
    [delivery] = notifier.notifications(refused)[0]["deliveries"]
    assert (delivery["status"], delivery["attempts"]) == ("dead-lettered", 1) and "400" in delivery["lastError"]

    # The dead-letter topic: the events exactly as read, with why they were given up.
    dead = {r.headers["event-id"]: r for r in read_dead_letters(broker.bootstrap, PARTITIONS)}
    bad_id = expected.of_order(bad)[0]["eventId"]
    refused_id = expected.of_order(refused)[0]["eventId"]
    assert sorted(dead) == sorted([bad_id, refused_id])
    for event_id, attempts_made, code in [(bad_id, "4", "500"), (refused_id, "1", "400")]:
        record, source = dead[event_id], expected.events[event_id]
        assert record.key == source.order_id and record.value == source.value
        for name, value in source.headers.items():
            assert record.headers.get(name) == value, (name, record.headers)
        assert record.headers["dlq-attempts"] == attempts_made
        assert record.headers["dlq-sink"] == sink
        assert record.headers["dlq-source-topic"] == "orders.events"
        assert record.headers["dlq-source-partition"] == str(source.partition) == str(partition)
        assert record.headers["dlq-source-offset"] == str(source.offset)
        assert code in record.headers["dlq-error"]
        assert record.headers["dlq-dead-lettered-at"].endswith("Z")
    # Nothing given up was recorded as delivered.
    published = {r.headers["event-id"] for r in read_notifications(broker.bootstrap, PARTITIONS)}
    assert published == set(expected.notifications) - {bad_id, refused_id}


@pytest.mark.timeout(180)
def test_an_unreadable_event_is_dead_lettered_and_the_fold_goes_on(broker, database_url, notifiers, webhooks):
    create_topic(broker.bootstrap, PARTITIONS)
    receiver = webhooks()
    notifier = notifiers(broker, database_url, env=notifier_env(receiver))
    h = History(broker.bootstrap, PARTITIONS, seed=707)
    h.event("u-1", "OrderPlaced", placed("c-u", "EUR", ("A", 1, 100)))
    # The next version, but of a schema newer than the notifier knows: it cannot be read.
    h._send("u-1", "OrderConfirmed", {"total": 100}, 2, schema=99)
    h.versions["u-1"] = 2
    h.event("u-1", "OrderShipped", {"carrier": "DHL", "trackingNumber": "T-U1"})
    h.event("u-2", "OrderPlaced", placed("c-u", "EUR", ("B", 1, 200)))
    h.flush()
    status = notifier.wait_settled(at_least=3)

    expected = expected_notifications(broker.bootstrap, PARTITIONS)
    [unreadable] = [e for e in expected.events.values() if e.headers["schema-version"] == "99"]
    unreadable_id = unreadable.headers["event-id"]
    want = {e: n for e, n in expected.notifications.items() if e != unreadable_id}
    assert len(want) == 3
    # Its version still counts: the order's next event is in effect and notifies.
    assert [(s["notification"]["kind"], s["notification"]["version"]) for s in notifier.notifications("u-1")] == [
        ("order-placed", 1), ("order-shipped", 3)]
    assert receiver.delivered_counts() == Counter({e: 1 for e in want})
    for arrival in receiver.snapshot():
        assert arrival.json == want[arrival.event_id]
    assert status["deliveries"] == {"pending": 0, "delivered": 3, "deadLettered": 0}
    assert status["deadLetterTopic"]["records"] == 1
    [dead] = read_dead_letters(broker.bootstrap, PARTITIONS)
    assert dead.key == "u-1" and dead.value == unreadable.value
    for name, value in unreadable.headers.items():
        assert dead.headers.get(name) == value, (name, dead.headers)
    assert (dead.headers["dlq-sink"], dead.headers["dlq-attempts"]) == ("none", "0")
    assert (dead.headers["dlq-source-partition"], dead.headers["dlq-source-offset"]) == (str(unreadable.partition), str(unreadable.offset))
    assert "schema version 99" in dead.headers["dlq-error"]
    assert notifier.request("GET", "/health/ready").status == 200


@pytest.mark.timeout(240)
def test_start_from_end_and_a_sink_added_later_are_filled_in_by_a_replay(broker, database_url, notifiers, webhooks, tmp_path):
    create_topic(broker.bootstrap, PARTITIONS)
    receiver = webhooks()
    h = History(broker.bootstrap, PARTITIONS, seed=808)
    h.event("e-1", "OrderPlaced", placed("c-early", "USD", ("A", 2, 150)))
    h.event("e-2", "OrderPlaced", placed("c-early", "EUR", ("B", 1, 99)))
    h.event("e-2", "OrderConfirmed", {"total": 99})
    h.flush()
    history = set(expected_notifications(broker.bootstrap, PARTITIONS).notifications)
    assert len(history) == 3

    # A new deployment that starts at the end: the history is folded silently.
    first = notifiers(broker, database_url, env=notifier_env(receiver, admin_token=TOKEN, NOTIFIER_START_FROM="end"))
    h.event("e-1", "OrderConfirmed", {"total": 300})
    h.event("e-3", "OrderPlaced", placed("c-late", "EUR", ("C", 1, 1)))
    h.flush()
    first.wait_settled(at_least=2)
    expected = expected_notifications(broker.bootstrap, PARTITIONS)
    live = set(expected.notifications) - history
    assert receiver.delivered_counts() == Counter({e: 1 for e in live})
    # The confirmation knows the customer and currency from the order's first event, not sent.
    [confirmed] = [n for n in expected.of_order("e-1") if n["kind"] == "order-confirmed"]
    assert confirmed["customerId"] == "c-early" and confirmed["text"].endswith("its total is 3.00 USD.")
    assert [a.json for a in receiver.snapshot() if a.event_id == confirmed["eventId"]] == [confirmed]
    served = first.notifications("e-1")
    assert [s["notification"] for s in served] == expected.of_order("e-1")
    assert [len(s["deliveries"]) for s in served] == [0, 1]

    # A replay without resend makes the deliveries never made (the history), once; nothing else.
    reply = first.request("POST", "/admin/replay", body={"offsets": every_partition(PARTITIONS)}, headers=admin(TOKEN))
    assert (reply.status, reply.body) == (202, {"queued": len(history), "resend": False})
    wait_until(lambda: receiver.has_delivered(history), "the replayed history", 60)
    first.wait_settled(at_least=5)
    assert receiver.delivered_counts() == Counter({e: 1 for e in expected.notifications})
    for arrival in receiver.snapshot():
        assert arrival.json == expected.notifications[arrival.event_id]
    first.stop()

    # A sink added: the new sink gets what comes next; a replay fills in the past for it alone.
    jsonl = tmp_path / "added.jsonl"
    second = notifiers(broker, database_url, env=notifier_env(receiver, jsonl, admin_token=TOKEN, NOTIFIER_START_FROM="end"))
    h.event("e-4", "OrderPlaced", placed("c-late", "EUR", ("D", 4, 25)))
    h.flush()
    second.wait_settled(at_least=7)
    expected = expected_notifications(broker.bootstrap, PARTITIONS)
    [newest] = [n["eventId"] for n in expected.of_order("e-4")]
    assert [parsed["eventId"] for _, parsed in read_jsonl(jsonl)] == [newest]
    reply = second.request("POST", "/admin/replay", body={"offsets": every_partition(PARTITIONS)}, headers=admin(TOKEN))
    assert (reply.status, reply.body) == (202, {"queued": 5, "resend": False})
    wait_until(lambda: len(read_jsonl(jsonl)) >= 6, "the replay to the added sink", 60)
    status = second.wait_settled(at_least=12)
    assert status["deliveries"] == {"pending": 0, "delivered": 12, "deadLettered": 0}
    lines = [parsed for _, parsed in read_jsonl(jsonl)]
    assert sorted(p["eventId"] for p in lines) == sorted(expected.notifications)
    for parsed in lines:
        assert parsed == expected.notifications[parsed["eventId"]]
    assert receiver.delivered_counts() == Counter({e: 1 for e in expected.notifications})


@pytest.mark.timeout(600)
def test_sigkill_during_delivery_loses_nothing_and_repeats_at_most_the_concurrency(broker, database_url, notifiers, webhooks):
    create_topic(broker.bootstrap, PARTITIONS)
    concurrency = 8
    receiver = webhooks()
    # Static membership: the restarted process takes the partitions back without waiting for
    # the killed one's session to expire. A long timeout: only the kill may repeat a delivery.
    env = notifier_env(receiver, concurrency=concurrency, webhook_timeout_ms=60_000, GROUP_INSTANCE_ID="notifier-kill")
    h = History(broker.bootstrap, PARTITIONS, seed=404)
    for n in range(2_500):
        order_id = f"k-{n:05d}"
        h.event(order_id, "OrderPlaced", placed(f"c-{n % 97}", "EUR", ("A", 1, 100 + n)))
        h.event(order_id, "OrderConfirmed", {"total": 100 + n})
        h.event(order_id, "OrderShipped", {"carrier": "DHL", "trackingNumber": f"T{n}"})
        h.event(order_id, "OrderDelivered", {})
    h.flush()
    expected = expected_notifications(broker.bootstrap, PARTITIONS)
    want = expected.notifications
    assert len(want) == 10_000

    first = notifiers(broker, database_url, env=env)
    target = int(random.Random(4040).uniform(0.1, 0.8) * len(want))

    def reached() -> bool:
        if first.proc.poll() is not None:
            raise AssertionError(f"notifier exited with {first.proc.returncode}\n{first.log_tail()}")
        return len(receiver.arrivals) >= target

    wait_until(reached, f"{target} deliveries before the kill", 300, detail=lambda: f" (got {len(receiver.arrivals)})")
    first.kill9()
    at_kill = {a.event_id for a in receiver.snapshot()}
    assert len(at_kill) < len(want), "the kill came after every delivery"

    second = notifiers(broker, database_url, env=env)
    wait_until(lambda: receiver.has_delivered(want), "every notification to arrive", 400,
               detail=lambda: f" ({len(set(receiver.delivered_counts()) & set(want))} of {len(want)})")
    status = second.wait_settled(at_least=len(want))
    assert status["deliveries"] == {"pending": 0, "delivered": len(want), "deadLettered": 0}

    arrivals = receiver.snapshot()
    counts = Counter(a.event_id for a in arrivals)
    assert set(counts) == set(want)
    repeated = len(arrivals) - len(counts)
    print(f"kill test: killed at {len(at_kill)} of {len(want)} delivered (target {target}); "
          f"{repeated} delivered again after the restart")
    assert repeated <= concurrency, f"{repeated} repeated deliveries: {[(e, c) for e, c in counts.items() if c > 1][:20]}"
    for arrival in arrivals:
        assert arrival.json == want[arrival.event_id]
    records = read_notifications(broker.bootstrap, PARTITIONS)
    published = Counter(r.headers["event-id"] for r in records)
    assert set(published) == set(want)
    assert len(records) - len(published) <= concurrency
    assert receiver.policy_errors == []


@pytest.mark.timeout(300)
def test_replay_sends_nothing_again_unless_asked_and_redrive_retries_dead_letters(broker, database_url, notifiers, webhooks):
    create_topic(broker.bootstrap, PARTITIONS)
    bad = "p-bad"
    receiver = webhooks(policy=fail_orders([bad], 500))
    notifier = notifiers(broker, database_url, env=notifier_env(receiver, admin_token=TOKEN, max_attempts=2, retry_base_ms=50))
    h = History(broker.bootstrap, PARTITIONS, seed=505)
    for n in range(20):
        order_id = f"p-{n:02d}"
        h.event(order_id, "OrderPlaced", placed(f"c-{n}", "EUR", ("A", n + 1, 250)))
        h.event(order_id, "OrderConfirmed", {"total": (n + 1) * 250})
    h.event(bad, "OrderPlaced", placed("c-bad", "EUR", ("A", 1, 1)))
    h.flush()
    status = notifier.wait_settled(at_least=41)
    assert status["deliveries"] == {"pending": 0, "delivered": 40, "deadLettered": 1}
    expected = expected_notifications(broker.bootstrap, PARTITIONS)
    [bad_id] = [n["eventId"] for n in expected.of_order(bad)]
    assert [a.status for a in receiver.for_key(bad_id)] == [500, 500]
    assert receiver.delivered_counts() == Counter({e: 1 for e in expected.notifications if e != bad_id})

    # Refusals first: they change nothing.
    body = {"offsets": every_partition(PARTITIONS), "resend": True}
    for path in ("/admin/replay", "/admin/dlq/redrive"):
        for headers in ({}, admin("wrong-token"), {"Authorization": TOKEN}):
            reply = notifier.request("POST", path, body=body if path.endswith("replay") else None, headers=headers)
            assert reply.status == 401, (path, headers, reply.status, reply.body)
            assert reply.headers["content-type"] == "application/problem+json"
            assert reply.body["type"] == "/problems/unauthorized"
            assert reply.headers["www-authenticate"].startswith("Bearer")
        assert notifier.request("GET", path, headers=admin(TOKEN)).status == 405
    malformed = [b"", b"[]", b"{", b"null", b"{}", b'{"offsets": {}}', b'{"offsets": []}', b'{"offsets": {"6": 0}}',
                 b'{"offsets": {"-1": 0}}', b'{"offsets": {"x": 0}}', b'{"offsets": {"0": -1}}', b'{"offsets": {"0": "0"}}',
                 b'{"offsets": {"0": 1.5}}', b'{"offsets": {"0": 0}, "fromTimestamp": 0}', b'{"fromTimestamp": -5}',
                 b'{"fromTimestamp": "yesterday"}', b'{"offsets": {"0": 0}, "resend": "yes"}',
                 b'{"offsets": {"0": 0}, "what": 1}', b'{"offsets": {"0": 10000000000000000000}}']
    for raw in malformed:
        reply = notifier.request("POST", "/admin/replay", raw=raw, headers=admin(TOKEN))
        assert reply.status == 400, (raw, reply.status, reply.body)
        assert reply.headers["content-type"] == "application/problem+json"
        assert reply.body["type"] == "/problems/validation" and reply.body["status"] == 400, reply.body
    for raw in (b"[]", b'{"all": true}', b"{"):
        reply = notifier.request("POST", "/admin/dlq/redrive", raw=raw, headers=admin(TOKEN))
        assert reply.status == 400 and reply.body["type"] == "/problems/validation", (raw, reply.body)
    reply = notifier.request("POST", "/admin/replay?resend=true", body={"offsets": {"0": 0}}, headers=admin(TOKEN))
    assert reply.status == 400 and reply.body["type"] == "/problems/validation", reply.body
    assert notifier.status()["deliveries"] == {"pending": 0, "delivered": 40, "deadLettered": 1}

    # A replay over everything, without resend: every delivery was made, so none is queued.
    reply = notifier.request("POST", "/admin/replay", body={"offsets": every_partition(PARTITIONS)}, headers=admin(TOKEN))
    assert (reply.status, reply.body) == (202, {"queued": 0, "resend": False})
    reply = notifier.request("POST", "/admin/replay", headers=admin(TOKEN),
                             body={"fromTimestamp": int(time.time() * 1000) + 86_400_000, "resend": True})
    assert (reply.status, reply.body) == (202, {"queued": 0, "resend": True})
    assert notifier.status()["deliveries"] == {"pending": 0, "delivered": 40, "deadLettered": 1}
    # A checkpoint: a new order's notification arrives, and nothing else came with it.
    h.event("p-check-1", "OrderPlaced", placed("c-check", "EUR", ("A", 1, 1)))
    h.flush()
    notifier.wait_settled(at_least=42)
    expected = expected_notifications(broker.bootstrap, PARTITIONS)
    all_ids = set(expected.notifications)
    assert receiver.delivered_counts() == Counter({e: 1 for e in all_ids if e != bad_id})
    assert len(receiver.for_key(bad_id)) == 2

    # The receiver is mended; a redrive sends the dead-lettered notification again.
    receiver.policy = always(200)
    reply = notifier.request("POST", "/admin/dlq/redrive", headers=admin(TOKEN))
    assert (reply.status, reply.body) == (202, {"redriven": 1})
    wait_until(lambda: receiver.has_delivered([bad_id]), "the redriven notification", 60)
    status = notifier.wait_settled(at_least=42)
    assert status["deliveries"] == {"pending": 0, "delivered": 42, "deadLettered": 0}
    [served] = notifier.notifications(bad)
    [delivery] = served["deliveries"]
    assert (delivery["status"], delivery["round"], delivery["attempts"]) == ("delivered", 1, 1), delivery
    reply = notifier.request("POST", "/admin/dlq/redrive", raw=b"{}", headers=admin(TOKEN))
    assert (reply.status, reply.body) == (202, {"redriven": 0})
    assert status["deadLetterTopic"]["records"] == 1
    assert receiver.delivered_counts() == Counter({e: 1 for e in all_ids})

    # A replay with resend: every notification once more.
    reply = notifier.request("POST", "/admin/replay", body={"offsets": every_partition(PARTITIONS), "resend": True},
                             headers=admin(TOKEN))
    assert (reply.status, reply.body) == (202, {"queued": len(all_ids), "resend": True})
    wait_until(lambda: all(receiver.delivered_counts()[e] >= 2 for e in all_ids), "every notification once more", 120,
               detail=lambda: f" ({sum(1 for e in all_ids if receiver.delivered_counts()[e] >= 2)} of {len(all_ids)})")
    notifier.wait_settled(at_least=len(all_ids))
    h.event("p-check-2", "OrderPlaced", placed("c-check", "EUR", ("A", 1, 2)))
    h.flush()
    status = notifier.wait_settled(at_least=len(all_ids) + 1)
    assert status["deliveries"] == {"pending": 0, "delivered": len(all_ids) + 1, "deadLettered": 0}
    [check2] = [n["eventId"] for n in expected_notifications(broker.bootstrap, PARTITIONS).of_order("p-check-2")]
    assert receiver.delivered_counts() == Counter({**{e: 2 for e in all_ids}, check2: 1})
    for order_id in {n["orderId"] for n in expected.notifications.values()}:
        for served in notifier.notifications(order_id):
            [delivery] = served["deliveries"]
            assert delivery["status"] == "delivered" and delivery["round"] == (2 if order_id == bad else 1), (order_id, delivery)
    published = Counter(r.headers["event-id"] for r in read_notifications(broker.bootstrap, PARTITIONS))
    assert published == receiver.delivered_counts()
    assert receiver.policy_errors == []


@SQLITE_ONLY
@pytest.mark.timeout(120)
def test_admin_routes_are_forbidden_without_admin_token(broker, database_url, notifiers):
    create_topic(broker.bootstrap, PARTITIONS)
    notifier = notifiers(broker, database_url)
    for path, body in [("/admin/replay", {"offsets": {"0": 0}, "resend": True}), ("/admin/dlq/redrive", None)]:
        for headers in ({}, admin("anything")):
            reply = notifier.request("POST", path, body=body, headers=headers)
            assert reply.status == 403, (path, reply.status, reply.body)
            assert reply.headers["content-type"] == "application/problem+json"
            assert reply.body["type"] == "/problems/forbidden"
            assert "ADMIN_TOKEN" in reply.body["detail"]


def bad_template_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "bad-templates"
    directory.mkdir()
    (directory / "order-placed.mustache").write_text("Order {{orderId}}\n{{#items}}never closed\n")
    return directory


@SQLITE_ONLY
@pytest.mark.timeout(180)
def test_invalid_settings_stop_the_process_with_a_message(broker, database_url, notifiers, tmp_path):
    create_topic(broker.bootstrap, PARTITIONS)
    cases = [
        ({"NOTIFIER_SINKS": "carrier-pigeon"}, ["NOTIFIER_SINKS", "carrier-pigeon"]),
        ({"NOTIFIER_SINKS": "log,carrier-pigeon"}, ["NOTIFIER_SINKS", "carrier-pigeon"]),
        ({"NOTIFIER_SINKS": "webhook:ftp://127.0.0.1/hook"}, ["NOTIFIER_SINKS", "ftp://127.0.0.1/hook"]),
        ({"NOTIFIER_SINKS": "file:"}, ["NOTIFIER_SINKS"]),
        ({"NOTIFIER_SINKS": "log,log"}, ["NOTIFIER_SINKS", "twice"]),
        ({"NOTIFIER_MAX_ATTEMPTS": "0"}, ["NOTIFIER_MAX_ATTEMPTS"]),
        ({"NOTIFIER_TEMPLATES_DIR": str(tmp_path / "no-such-dir")}, ["NOTIFIER_TEMPLATES_DIR"]),
        ({"NOTIFIER_TEMPLATES_DIR": str(bad_template_dir(tmp_path))}, ["order-placed"]),
    ]
    for env, words in cases:
        instance = notifiers(broker, database_url, env=env, ready_timeout=0)
        try:
            code = instance.proc.wait(60)
        except Exception:  # noqa: BLE001 - report what it did instead of exiting
            raise AssertionError(f"{env}: the notifier did not exit\n{instance.log_tail()}") from None
        log = instance.log_text()
        assert code != 0, (env, log[-2000:])
        for word in words:
            assert word in log, (env, word, log[-2000:])


@SQLITE_ONLY
@pytest.mark.timeout(180)
def test_templates_dir_overrides_a_template(broker, database_url, notifiers, tmp_path):
    create_topic(broker.bootstrap, PARTITIONS)
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "order-placed.mustache").write_text(
        "{{! the subject is the first line }}\n"
        "Thanks for order {{orderId}} & welcome, <{{customerId}}>!\n"
        "{{itemCount}} item(s) worth {{total}} {{currency}}:\n"
        "{{#items}}\n"
        "* {{sku}} ×{{quantity}}\n"
        "{{/items}}\n")
    (templates / "README.txt").write_text("not a template")
    jsonl = tmp_path / "notifications.jsonl"
    notifier = notifiers(broker, database_url, env=notifier_env(jsonl, templates_dir=templates))
    h = History(broker.bootstrap, PARTITIONS, seed=606)
    h.event("t-1", "OrderPlaced", placed("c-t", "EUR", ("A", 1, 600), ("B", 2, 1000)))
    h.event("t-1", "OrderConfirmed", {"total": 2600})
    h.flush()
    notifier.wait_settled(at_least=2)

    def overridden(kind, order_id, customer, currency, body):
        if kind != "order-placed":
            return render(kind, order_id, customer, currency, body)
        items = body["items"]
        total = money(sum(i["quantity"] * i["unitPrice"] for i in items), currency)
        return (f"Thanks for order {order_id} & welcome, <{customer}>!",
                f"{sum(i['quantity'] for i in items)} item(s) worth {total} {currency}:\n"
                + "\n".join(f"* {i['sku']} ×{i['quantity']}" for i in items))

    expected = expected_notifications(broker.bootstrap, PARTITIONS, render=overridden)
    got = [parsed for _, parsed in read_jsonl(jsonl)]
    assert got == expected.of_order("t-1")
    assert got[0]["subject"] == "Thanks for order t-1 & welcome, <c-t>!"
    assert got[0]["text"] == "3 item(s) worth 26.00 EUR:\n* A ×1\n* B ×2"
    assert got[1]["subject"] == "Your order t-1 is confirmed"
    assert "Templates from NOTIFIER_TEMPLATES_DIR" in notifier.log_text()
