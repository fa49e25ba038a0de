"""confluent-kafka (librdkafka 2.16, bundled in the wheel) against kafkawire:
idempotent producer, consumer groups, committed offsets across a broker restart."""

from __future__ import annotations

import time

import pytest
from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition

from helpers import consume_all, create_topic

GROUP_PARTITIONS = 6


def idempotent_producer(bootstrap: str, **extra) -> tuple[Producer, list]:
    fatal = []

    def on_error(err):
        if err.fatal():
            fatal.append(err)

    conf = {
        "bootstrap.servers": bootstrap,
        "enable.idempotence": True,
        "acks": "all",
        "linger.ms": 5,
        "message.timeout.ms": 30000,
        "error_cb": on_error,
    }
    conf.update(extra)
    return Producer(conf), fatal


def produce_all(producer: Producer, items, on_delivery) -> None:
    """items: iterable of kwargs for Producer.produce; waits for queue space instead of failing."""
    for n, kwargs in enumerate(items):
        while True:
            try:
                producer.produce(on_delivery=on_delivery, **kwargs)
                break
            except BufferError:
                producer.poll(0.05)
        if n % 1000 == 0:
            producer.poll(0)


def test_idempotent_producer_acks_all_delivers_everything(broker):
    topic, n = "interop-idempotent", 20_000
    create_topic(broker.bootstrap, topic, GROUP_PARTITIONS)
    producer, fatal = idempotent_producer(broker.bootstrap)
    reports = []

    def on_delivery(err, msg):
        reports.append((err, msg.partition(), msg.offset(), msg.key(), msg.value()))

    produce_all(producer, (
        {"topic": topic, "key": f"order-{i % 500}".encode(), "value": f"event-{i}".encode(),
         "headers": [("event-type", b"OrderPlaced"), ("seq", str(i).encode())]}
        for i in range(n)), on_delivery)
    remaining = producer.flush(40)
    assert remaining == 0, f"{remaining} messages still undelivered after flush(40)"
    assert not fatal, f"fatal producer errors: {fatal}"
    assert len(reports) == n, f"{len(reports)} delivery reports for {n} messages"
    errors = [r for r in reports if r[0] is not None]
    assert not errors, f"{len(errors)} failed deliveries, first: {errors[0][0]}"

    # Acknowledged offsets: per partition exactly 0..count-1, increasing in delivery order.
    by_partition = {}
    for _err, p, offset, key, value in reports:
        by_partition.setdefault(p, []).append((offset, key, value))
    assert set(by_partition) <= set(range(GROUP_PARTITIONS))
    for p, acked in by_partition.items():
        offsets = [o for o, _k, _v in acked]
        assert offsets == list(range(len(offsets))), f"partition {p}: acked offsets not 0..{len(offsets) - 1}"

    # The log holds exactly what was acknowledged, where it was acknowledged, with the headers.
    log = consume_all(broker.bootstrap, topic, GROUP_PARTITIONS)
    assert sum(len(v) for v in log.values()) == n
    for p, acked in by_partition.items():
        got = [(m.offset(), m.key(), m.value()) for m in log[p]]
        assert got == acked, f"partition {p}: log differs from delivery reports"
        for m in log[p]:
            headers = m.headers()
            assert headers[0] == ("event-type", b"OrderPlaced"), headers
            assert headers[1] == ("seq", m.value().split(b"-")[1]), headers


def group_consumer(bootstrap: str, group: str, strategy: str, name: str) -> Consumer:
    return Consumer({
        "bootstrap.servers": bootstrap,
        "group.id": group,
        "client.id": name,
        "partition.assignment.strategy": strategy,
        "session.timeout.ms": 10000,
        "heartbeat.interval.ms": 500,
        "auto.offset.reset": "earliest",
        "enable.auto.commit": False,
    })


def assigned(consumer: Consumer) -> set[int]:
    return {tp.partition for tp in consumer.assignment()}


def poll_until(consumers, condition, timeout: float, what: str, sink=None):
    """Polls every consumer in turn until condition() holds; messages go to sink[consumer index]."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for i, c in enumerate(consumers):
            msg = c.poll(0.1)
            if msg is not None and not msg.error() and sink is not None:
                sink[i].append(msg)
            elif msg is not None and msg.error() and msg.error().fatal():
                raise AssertionError(f"fatal consumer error: {msg.error()}")
        if condition():
            return
    raise AssertionError(f"timed out after {timeout}s waiting for {what}; "
                         f"assignments: {[sorted(assigned(c)) for c in consumers]}")


def drain(consumers, seconds: float, sink) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        for i, c in enumerate(consumers):
            msg = c.poll(0.1)
            if msg is not None and not msg.error():
                sink[i].append(msg)


def produce_per_partition(bootstrap: str, topic: str, partitions: int, count: int, tag: str) -> set[bytes]:
    producer, fatal = idempotent_producer(bootstrap)
    failures, values = [], set()
    for p in range(partitions):
        for i in range(count):
            value = f"{tag}-p{p}-{i}".encode()
            values.add(value)
            producer.produce(topic, value=value, partition=p,
                             on_delivery=lambda err, msg: err and failures.append(err))
    assert producer.flush(30) == 0 and not failures and not fatal, f"produce failed: {failures or fatal}"
    return values


@pytest.mark.parametrize("strategy", ["range", "cooperative-sticky"])
def test_consumer_group_splits_partitions_and_rebalances_on_close(broker, strategy):
    topic, group = f"interop-group-{strategy}", f"interop-group-{strategy}"
    everything = set(range(GROUP_PARTITIONS))
    create_topic(broker.bootstrap, topic, GROUP_PARTITIONS)
    a = group_consumer(broker.bootstrap, group, strategy, "member-a")
    b = group_consumer(broker.bootstrap, group, strategy, "member-b")
    closed_b = False
    try:
        a.subscribe([topic])
        poll_until([a], lambda: assigned(a) == everything, 25, "the only member to own all partitions")

        b.subscribe([topic])
        stable_since = [None]

        def split():
            sa, sb = assigned(a), assigned(b)
            ok = bool(sa) and bool(sb) and not (sa & sb) and (sa | sb) == everything
            if not ok:
                stable_since[0] = None
                return False
            stable_since[0] = stable_since[0] or time.monotonic()
            return time.monotonic() - stable_since[0] >= 1.0  # held for a second

        poll_until([a, b], split, 30, "two members to split the partitions")
        sa, sb = assigned(a), assigned(b)

        # Each member fetches exactly its own partitions.
        first = produce_per_partition(broker.bootstrap, topic, GROUP_PARTITIONS, 10, "first")
        got = [[], []]
        poll_until([a, b], lambda: len(got[0]) + len(got[1]) >= len(first), 20, "both members to consume", got)
        assert {m.partition() for m in got[0]} <= sa, "member a got messages from partitions it does not own"
        assert {m.partition() for m in got[1]} <= sb, "member b got messages from partitions it does not own"
        values = [m.value() for m in got[0] + got[1]]
        assert sorted(values) == sorted(first), "the two members together did not get each message once"
        a.commit(asynchronous=False)
        b.commit(asynchronous=False)

        # b leaves: a takes over everything and resumes b's partitions at b's committed offsets.
        b.close()
        closed_b = True
        poll_until([a], lambda: assigned(a) == everything, 30, "the remaining member to own all partitions")
        second = produce_per_partition(broker.bootstrap, topic, GROUP_PARTITIONS, 5, "second")
        got = [[]]
        poll_until([a], lambda: len(got[0]) >= len(second), 20, "the remaining member to consume", got)
        drain([a], 1.0, got)  # anything more would be a duplicate
        values = [m.value() for m in got[0]]
        assert sorted(values) == sorted(second), (
            f"after the rebalance member a got {len(values)} messages, expected exactly the {len(second)} new ones "
            f"(old ones again: {sorted(v for v in values if v in first)[:5]})")
    finally:
        if not closed_b:
            b.close()
        a.close()


@pytest.mark.parametrize("restart", ["sigterm", "sigkill"])
def test_committed_offsets_survive_broker_restart(broker, restart):
    topic, group = f"interop-commit-{restart}", f"interop-commit-{restart}"
    create_topic(broker.bootstrap, topic, GROUP_PARTITIONS)
    produce_per_partition(broker.bootstrap, topic, GROUP_PARTITIONS, 50, "msg")
    wanted = {p: 5 + 7 * p for p in range(GROUP_PARTITIONS)}
    tps = [TopicPartition(topic, p) for p in range(GROUP_PARTITIONS)]

    c1 = group_consumer(broker.bootstrap, group, "range", "before-restart")
    try:
        c1.subscribe([topic])
        poll_until([c1], lambda: assigned(c1) == set(range(GROUP_PARTITIONS)), 25, "the member to own all partitions")
        result = c1.commit(offsets=[TopicPartition(topic, p, o) for p, o in wanted.items()], asynchronous=False)
        assert all(tp.error is None for tp in result), result
        committed = {tp.partition: tp.offset for tp in c1.committed(tps, timeout=10)}
        assert committed == wanted, f"committed() right after commit: {committed}"
    finally:
        c1.close()

    broker.restart(hard=(restart == "sigkill"))

    c2 = group_consumer(broker.bootstrap, group, "range", "after-restart")
    try:
        deadline, committed, last_error = time.monotonic() + 20, None, None
        while time.monotonic() < deadline:
            try:
                committed = {tp.partition: tp.offset for tp in c2.committed(tps, timeout=10)}
                if committed == wanted:
                    break
            except KafkaException as e:  # e.g. coordinator still loading
                last_error = e
            time.sleep(0.3)
        assert committed == wanted, f"committed offsets after restart: {committed} (last error: {last_error})"

        c2.subscribe([topic])
        first = {}
        sink = [[]]

        def record():
            for m in sink[0]:
                first.setdefault(m.partition(), m.offset())
            return len(first) == GROUP_PARTITIONS

        poll_until([c2], record, 30, "a message from every partition after the restart", sink)
        assert first == wanted, f"new member resumed at {first}, committed were {wanted}"
        for m in sink[0]:
            assert m.value() == f"msg-p{m.partition()}-{m.offset()}".encode(), (m.partition(), m.offset(), m.value())
    finally:
        c2.close()
