"""Unknown outcomes converge to the log's answer (issue 22).

Every test runs `order-command` against the dev broker through a Kafka-aware fault proxy
(fault_proxy.KafkaFaultProxy) that holds, drops, cuts and re-orders Produce requests, so that
an append's outcome is unknown to the service in the ways a real cluster makes it unknown. The
log is then read by confluent-kafka and folded by the independent Python fold
(order_command.fold_log). What must hold, whatever the timing:

- every 2xx answer is an event in effect (its position, command id and version);
- no command id is in effect twice;
- a write-conflict is answered only for a command whose own id is not in effect;
- a retry while the first attempt is unread waits for it; it is never decided again.

Order of events is arranged by conditions (a held request is released when the test says so),
never by guessed times.
"""

from __future__ import annotations

import os
import random
import threading
import time
import uuid

import pytest

from fault_proxy import Fault, KafkaFaultProxy, random_policy
from helpers import Broker, free_port, wait_until
from order_command import Client, fold_log, partition_of

PARTITIONS = 3


@pytest.fixture
def proxied_broker(tmp_path):
    """A dev broker that advertises a fault proxy in front of it: every client connection
    (metadata, produce, fetch, groups) goes through the proxy."""
    proxy_port = free_port()
    broker = Broker(tmp_path / "data", tmp_path / "broker.log", advertise=f"127.0.0.1:{proxy_port}")
    proxy = KafkaFaultProxy(proxy_port, broker.port)
    broker.start()
    yield broker, proxy
    proxy.close()
    broker.stop(timeout=10, strict=False)


def place_body(order_id: str) -> dict:
    return {"orderId": order_id, "customerId": "c-" + order_id, "currency": "EUR",
            "items": [{"sku": "TEA", "quantity": 2, "unitPrice": 450}]}


def events_of(broker, command_id: str) -> list:
    return [e for e in fold_log(broker.bootstrap, PARTITIONS).events if e.headers.get("command-id") == command_id]


def describe(read) -> object:
    """What `read()` returns, or the error it raised (for failure reports)."""
    try:
        return read()
    except Exception as error:  # noqa: BLE001 - a report must not hide the failure it reports
        return repr(error)


def retry_until_answered(client: Client, method: str, path: str, body, key: str, limit: float = 90.0) -> list:
    """Sends a command, and again with the same Idempotency-Key while it is answered 503, as the
    CLI does. Returns every reply. No pause between tries: a 503 outcome-unknown comes only after
    the service waited its deadline for the first attempt."""
    replies = []
    deadline = time.monotonic() + limit
    while True:
        reply = client.request(method, path, body, headers={"Idempotency-Key": key})
        replies.append(reply)
        if reply.status != 503:
            return replies
        assert time.monotonic() < deadline, f"{key}: still 503 after {limit} s: {reply.body}"


def assert_answer_is_in_effect(broker, key: str, reply) -> None:
    records = events_of(broker, key)
    in_effect = [e for e in records if e.in_effect]
    assert len(in_effect) == 1, f"{key}: {len(in_effect)} events in effect: {[(e.partition, e.offset) for e in records]}"
    event = in_effect[0]
    assert reply.body["position"] == f"{event.partition}:{event.offset}", (reply.body, event)
    assert reply.body["version"] == event.version


@pytest.mark.timeout(240)
def test_a_retry_while_the_first_append_is_held_waits_for_it_and_gets_its_answer(proxied_broker, order_commands):
    """The issue's incident: the first append is slower than the command deadline (503
    outcome-unknown), the client retries with the same key before the record is readable."""
    broker, proxy = proxied_broker
    oc = order_commands(broker, env={"COMMAND_DEADLINE_MS": "1000", "ORDERS_PARTITIONS": str(PARTITIONS)})
    client = Client(oc.port)
    order_id = f"held-{uuid.uuid4().hex[:8]}"
    key = f"{order_id}-place"
    release = threading.Event()
    proxy.arm(Fault("hold", release=release))
    first = client.request("POST", "/orders", place_body(order_id), headers={"Idempotency-Key": key})
    assert first.status == 503 and first.body["type"] == "/problems/outcome-unknown", first.body
    # Retries while the first attempt is still held: each waits for it, none decides again.
    for _ in range(3):
        again = client.request("POST", "/orders", place_body(order_id), headers={"Idempotency-Key": key})
        assert again.status == 503 and again.body["type"] == "/problems/outcome-unknown", again.body
    assert events_of(broker, key) == []  # nothing readable yet, and no second attempt appended
    release.set()
    final = retry_until_answered(client, "POST", "/orders", place_body(order_id), key)[-1]
    assert final.status == 201, final.body
    wait_until(proxy.is_quiet, "the proxy to deliver what it held")
    assert_answer_is_in_effect(broker, key, final)
    assert len(events_of(broker, key)) == 1, "the command was decided and appended twice"
    # Other commands on the order go on as usual afterwards.
    confirm = client.request("POST", f"/orders/{order_id}/confirm", None, headers={"Idempotency-Key": f"{order_id}-confirm"})
    assert confirm.status == 200 and confirm.body["version"] == 2, confirm.body


@pytest.mark.timeout(240)
def test_a_delivery_that_fails_with_its_request_lost_is_appended_again_once(proxied_broker, order_commands):
    """The produce request vanishes (no answer, nothing written): the producer's delivery times
    out with the outcome unknown; the service appends the same event again (a new producer
    epoch) and the retry gets the answer of the one copy in the log."""
    broker, proxy = proxied_broker
    oc = order_commands(broker, env={"COMMAND_DEADLINE_MS": "1000", "DELIVERY_TIMEOUT_MS": "2000",
                                     "ORDERS_PARTITIONS": str(PARTITIONS)})
    client = Client(oc.port)
    # A first append, so that the broker knows the producer's sequence: the lost request then
    # leaves a gap in it, as it would on any Kafka broker.
    order_id = f"dropped-{uuid.uuid4().hex[:8]}"
    warm_up = next(w for w in (f"warm-{n}" for n in range(1000)) if partition_of(w, PARTITIONS) == partition_of(order_id, PARTITIONS))
    assert client.request("POST", "/orders", place_body(warm_up), headers={"Idempotency-Key": warm_up}).status == 201
    key = f"{order_id}-place"
    proxy.arm(Fault("drop"))
    replies = retry_until_answered(client, "POST", "/orders", place_body(order_id), key)
    assert replies[0].status == 503 and replies[0].body["type"] == "/problems/outcome-unknown", replies[0].body
    assert replies[-1].status == 201, replies[-1].body
    assert_answer_is_in_effect(broker, key, replies[-1])
    assert len(events_of(broker, key)) == 1
    assert proxy.done("drop") == 1
    # Appended again exactly once: the failed delivery bumped the producer's epoch, so the
    # copy's sequence starts afresh instead of following a sequence the broker never got.
    metrics = client.request("GET", "/metrics").raw.decode()
    reappended = [line for line in metrics.splitlines() if line.startswith("order_command_reappended_events_total")]
    assert reappended and float(reappended[0].split()[-1]) == 1, reappended


@pytest.mark.timeout(300)
def test_a_retry_decided_elsewhere_whose_event_is_void_answers_the_first_attempt(proxied_broker, order_commands, tmp_path):
    """The first attempt's instance dies with its append still on the way; a second instance
    takes the partition over, folds the log (the record is not readable yet), and decides the
    retry anew. The first attempt then lands first: the retry's own event is void, but its
    command is in effect, so the answer is 201 with the first event's position, not 409."""
    broker, proxy = proxied_broker
    env = {"ORDERS_PARTITIONS": str(PARTITIONS)}
    first_instance = order_commands(broker, env={**env, "COMMAND_DEADLINE_MS": "1000"})
    order_id = f"zombie-{uuid.uuid4().hex[:8]}"
    key = f"{order_id}-place"
    release_first = threading.Event()
    proxy.arm(Fault("hold", release=release_first))
    first = Client(first_instance.port).request("POST", "/orders", place_body(order_id), headers={"Idempotency-Key": key})
    assert first.status == 503 and first.body["type"] == "/problems/outcome-unknown", first.body
    first_instance.kill9()

    # A long deadline: the retry's own read-back is what answers it.
    second = order_commands(broker, env={**env, "COMMAND_DEADLINE_MS": "60000"})
    release_retry = threading.Event()
    proxy.arm(Fault("hold", release=release_retry))
    answer = {}
    retry = threading.Thread(target=lambda: answer.setdefault("reply", Client(second.port, timeout=120).request(
        "POST", "/orders", place_body(order_id), headers={"Idempotency-Key": key})))
    retry.start()
    wait_until(lambda: proxy.done("hold") == 2, "the retry's append to reach the proxy")
    release_first.set()
    wait_until(lambda: len(events_of(broker, key)) == 1, "the first attempt to land")
    release_retry.set()
    retry.join(120)
    reply = answer["reply"]
    assert reply.status == 201, reply.body
    records = events_of(broker, key)
    assert [e.in_effect for e in records] == [True, False], "the first attempt in effect, the retry's event void"
    assert_answer_is_in_effect(broker, key, reply)
    # And a retry after all this is answered from the log at once.
    again = Client(second.port).request("POST", "/orders", place_body(order_id), headers={"Idempotency-Key": key})
    assert again.status == 201 and again.body == reply.body


LIFECYCLE = [
    ("POST", "/orders", "place"),
    ("POST", "/orders/{id}/items", "add"),
    ("POST", "/orders/{id}/confirm", "confirm"),
    ("POST", "/orders/{id}/ship", "ship"),
    ("POST", "/orders/{id}/deliver", "deliver"),
]


def step_body(step: str, order_id: str):
    return {
        "place": place_body(order_id),
        "add": {"sku": "MUG", "quantity": 1, "unitPrice": 1200},
        "ship": {"carrier": "DHL", "trackingNumber": "JD" + order_id[-6:]},
    }.get(step)


@pytest.mark.timeout(600)
def test_randomized_retries_under_held_dropped_cut_and_reordered_appends_converge_to_the_log(proxied_broker, order_commands):
    broker, proxy = proxied_broker
    env = {"ORDERS_PARTITIONS": str(PARTITIONS), "COMMAND_DEADLINE_MS": "1000", "DELIVERY_TIMEOUT_MS": "2500"}
    instances = [order_commands(broker, env=env), order_commands(broker, env=env)]
    wait_until(lambda: all(i.client(timeout=5).request("GET", "/health/ready").status == 200 for i in instances),
               "both instances to be ready after the group settled")
    # One of every fault first, then faults at random (reproducible from the seed).
    for fault in [Fault("hold", 2.0), Fault("cut_after"), Fault("orphan", 1.0), Fault("drop"), Fault("cut_before")]:
        proxy.arm(fault)
    proxy.policy = random_policy(seed=int(os.environ.get("FAULT_SEED", "22")), weights={"pass": 60, "hold": 12, "cut_after": 10, "cut_before": 6, "drop": 4, "orphan": 8})

    replies: list[tuple[str, object]] = []  # (command id, reply), every reply of every attempt
    attempts: dict[str, list[str]] = {}  # command id -> what each attempt got, for a failure's report
    lock = threading.Lock()
    unfinished: list[str] = []

    def send(port: int, method: str, path: str, body, key: str) -> None:
        started = time.monotonic()
        try:
            reply = Client(port, timeout=60).request(method, path, body, headers={"Idempotency-Key": key})
        except OSError as error:
            with lock:
                attempts.setdefault(key, []).append(f"port {port}: {error!r} after {time.monotonic() - started:.1f} s")
            return
        detail = reply.body.get("detail", "") if isinstance(reply.body, dict) else ""
        with lock:
            replies.append((key, reply))
            attempts.setdefault(key, []).append(f"port {port}: {reply.status} {detail} after {time.monotonic() - started:.1f} s")

    def run_order(n: int) -> None:
        rng = random.Random(1000 + n)
        order_id = f"rand-{n:02d}-{uuid.uuid4().hex[:6]}"
        for method, template, step in LIFECYCLE:
            key = f"{order_id}-{step}"
            path = template.format(id=order_id)
            body = step_body(step, order_id)
            deadline = time.monotonic() + 120
            while True:
                # Sometimes the same command twice at once, on both instances (a retry racing
                # its first attempt); otherwise on one at random.
                ports = [i.port for i in instances] if rng.random() < 0.25 else [rng.choice(instances).port]
                threads = [threading.Thread(target=send, args=(p, method, path, body, key)) for p in ports]
                for t in threads:
                    t.start()
                for t in threads:
                    t.join()
                with lock:
                    final = [r for k, r in replies if k == key and r.status != 503]
                if final:
                    break
                if time.monotonic() > deadline:
                    with lock:
                        unfinished.append(key)
                    return
            if not all(200 <= r.status < 300 for r in final):
                return  # a refused or conflicting step ends this order's lifecycle

    workers = [threading.Thread(target=run_order, args=(n,)) for n in range(16)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(400)
    proxy.policy = None
    if unfinished:
        # What each stuck command got, and where each instance stands: enough to tell a
        # stuck partition, an event left in flight and a hung request apart.
        report = {key: attempts.get(key, [])[-6:] for key in unfinished}
        report["instances"] = [(i.port, describe(lambda i=i: i.status())) for i in instances]
        pytest.fail(f"commands never answered: {unfinished}\n{report}")

    # Everything the proxy held or orphaned has reached the broker, and the services have no
    # event in flight: the log is complete.
    wait_until(proxy.is_quiet, "the proxy to deliver what it held", timeout=60)

    def nothing_in_flight() -> bool:
        return all(p["inFlight"] == 0 for i in instances for p in i.status()["partitions"])
    wait_until(nothing_in_flight, "no event in flight", timeout=120)

    fold = fold_log(broker.bootstrap, PARTITIONS)
    by_position = {(e.partition, e.offset): e for e in fold.events}
    in_effect_by_key: dict[str, list] = {}
    for e in fold.in_effect():
        in_effect_by_key.setdefault(e.headers.get("command-id"), []).append(e)
    twice = {k: [(e.partition, e.offset) for e in v] for k, v in in_effect_by_key.items() if len(v) > 1}
    assert not twice, f"command ids in effect twice: {twice}"

    statuses: dict[int, int] = {}
    answers_by_key: dict[str, set] = {}
    for key, reply in replies:
        statuses[reply.status] = statuses.get(reply.status, 0) + 1
        if 200 <= reply.status < 300:
            partition, offset = map(int, reply.body["position"].split(":"))
            event = by_position.get((partition, offset))
            assert event is not None and event.in_effect, f"{key}: 2xx at {reply.body['position']}, not in effect in the log"
            assert event.headers.get("command-id") == key, f"{key}: 2xx names the event of {event.headers.get('command-id')}"
            assert event.version == reply.body["version"]
            answers_by_key.setdefault(key, set()).add(reply.body["position"])
        if reply.status == 409 and reply.body.get("type") == "/problems/write-conflict":
            assert key not in in_effect_by_key, f"{key}: answered write-conflict, but it is in effect at " \
                f"{[(e.partition, e.offset) for e in in_effect_by_key[key]]}"
        assert reply.status < 500 or reply.status == 503, (key, reply.status, reply.body)
    assert all(len(positions) == 1 for positions in answers_by_key.values()), "a command answered two positions"
    print(f"replies by status: {statuses}; produce requests: {proxy.produce_requests}; faults: {proxy.faults_done}; "
          f"events: {len(fold.events)}, void: {len(fold.void())}")
    assert len(answers_by_key) >= 16, "at least every order was placed"
    assert sum(proxy.faults_done.get(k, 0) for k in ("hold", "cut_after", "cut_before", "drop", "orphan")) >= 10
