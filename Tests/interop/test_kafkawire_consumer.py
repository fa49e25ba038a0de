"""The KafkaWire consumer (`kafkawire consume`) against records written by other clients, and
in a consumer group together with a confluent-kafka member.

Acceptance 1 (consumer side): records produced by kcat and by confluent-kafka, with every
codec, keys, headers and timestamps, come out of `kafkawire consume --json` byte-identical.
Acceptance 3: a group of one kafkawire member and one confluent-kafka member splits a
6-partition topic without overlap or gap; through joins, leaves and a kill -9 of the
kafkawire member every record is processed at least once, and none twice while the
rebalances are graceful (both members commit on revoke).
"""

from __future__ import annotations

import base64
import json
import os
import random
import signal
import subprocess
import threading
import time

import pytest
from confluent_kafka import Consumer, Producer, TopicPartition

from helpers import consume_all, create_topic, kafkawire_bin, kcat_bin, run

CODECS = ["none", "gzip", "snappy", "lz4", "zstd"]


def b64(value):
    return None if value is None else base64.b64decode(value)


def kafkawire_consume(bootstrap: str, topic: str, *extra: str, timeout: float = 60.0):
    """Runs `kafkawire consume --json` to the end of the topic; returns the decoded records."""
    proc = run([kafkawire_bin(), "consume", "--brokers", bootstrap, "--topic", topic, "--json", *extra], timeout=timeout)
    records = []
    for line in proc.stdout.decode().splitlines():
        r = json.loads(line)
        records.append({
            "partition": r["partition"], "offset": r["offset"], "timestamp": r["timestamp"],
            "key": b64(r["key_b64"]), "value": b64(r["value_b64"]),
            "headers": [(h["key"], b64(h["value_b64"])) for h in r["headers"]],
        })
    return records


def reference(bootstrap: str, topic: str, partitions: int):
    """The same records as read by confluent-kafka, in kafkawire's shape."""
    out = []
    for p, messages in consume_all(bootstrap, topic, partitions).items():
        for m in messages:
            out.append({
                "partition": p, "offset": m.offset(), "timestamp": m.timestamp()[1],
                "key": m.key(), "value": m.value(), "headers": list(m.headers() or []),
            })
    return sorted(out, key=lambda r: (r["partition"], r["offset"]))


@pytest.mark.parametrize("codec", CODECS)
def test_consumes_kcat_records_byte_identical(broker, codec):
    topic = f"kw-consume-kcat-{codec}"
    create_topic(broker.bootstrap, topic, 3)
    lines = [f"key-{i}:value-{i}-{'x' * (i % 50)}" for i in range(3000)]
    run([kcat_bin(), "-P", "-b", broker.bootstrap, "-t", topic, "-K:", "-z", codec,
         "-H", "h1=v1", "-H", "h2=value-two"], input=("\n".join(lines) + "\n").encode())
    got = sorted(kafkawire_consume(broker.bootstrap, topic), key=lambda r: (r["partition"], r["offset"]))
    expected = reference(broker.bootstrap, topic, 3)
    assert len(got) == 3000
    assert got == expected
    assert sorted((r["key"], r["value"]) for r in got) == sorted(
        tuple(part.encode() for part in line.split(":", 1)) for line in lines)
    assert all(r["headers"] == [("h1", b"v1"), ("h2", b"value-two")] for r in got)


@pytest.mark.parametrize("codec", CODECS)
def test_consumes_confluent_records_byte_identical(broker, codec):
    topic = f"kw-consume-confluent-{codec}"
    create_topic(broker.bootstrap, topic, 3)
    producer = Producer({"bootstrap.servers": broker.bootstrap, "compression.type": codec,
                         "linger.ms": 5, "acks": "all"})
    rng = random.Random(7)
    sent = {}
    failures = []
    for i in range(2000):
        key = None if i % 10 == 0 else bytes(rng.randrange(256) for _ in range(rng.randrange(1, 20)))
        value = None if i % 97 == 0 else bytes(rng.randrange(256) for _ in range(rng.randrange(0, 300)))
        headers = [("bin", bytes(rng.randrange(256) for _ in range(5))), ("null", None), ("i", str(i).encode())]
        timestamp = 1_600_000_000_000 + i * 1000
        sent[str(i).encode()] = (key, value, headers, timestamp)
        producer.produce(topic, key=key, value=value, headers=headers, timestamp=timestamp, partition=i % 3,
                         on_delivery=lambda err, msg: err and failures.append(err))
        if i % 500 == 0:
            producer.poll(0)
    assert producer.flush(30) == 0 and not failures
    got = kafkawire_consume(broker.bootstrap, topic)
    assert len(got) == 2000
    for r in got:
        index = dict(r["headers"])["i"]
        key, value, headers, timestamp = sent[index]
        assert (r["key"], r["value"], r["headers"], r["timestamp"]) == (key, value, headers, timestamp)
    # Offsets per partition are dense and in order.
    for p in range(3):
        offsets = [r["offset"] for r in got if r["partition"] == p]
        assert offsets == list(range(len(offsets)))


def test_consume_from_offset_timestamp_partition_and_count(broker):
    topic = "kw-consume-positions"
    create_topic(broker.bootstrap, topic, 2)
    producer = Producer({"bootstrap.servers": broker.bootstrap})
    for i in range(20):
        producer.produce(topic, value=f"v{i}".encode(), partition=i % 2, timestamp=1_000_000 + i)
    assert producer.flush(10) == 0
    from_offset = kafkawire_consume(broker.bootstrap, topic, "--partition", "1", "--offset", "7")
    assert [r["offset"] for r in from_offset] == [7, 8, 9]
    by_time = kafkawire_consume(broker.bootstrap, topic, "--partition", "0", "--offset", "@1000014")
    assert [r["value"] for r in by_time] == [b"v14", b"v16", b"v18"]
    counted = kafkawire_consume(broker.bootstrap, topic, "--count", "4")
    assert len(counted) == 4
    text = run([kafkawire_bin(), "consume", "--brokers", broker.bootstrap, "--topic", topic, "--partition", "0",
                "--offset", "9", "--format", "%p:%o:%v"]).stdout.decode().split()
    assert text == ["0:9:v18"]


class KafkaWireMember:
    """`kafkawire consume --group --follow --json` as a subprocess; records land in `seen`."""

    def __init__(self, bootstrap: str, topic: str, group: str, seen: list, strategy: str = "range"):
        self.proc = subprocess.Popen(
            [kafkawire_bin(), "consume", "--brokers", bootstrap, "--topic", topic, "--group", group,
             "--follow", "--json", "--session-timeout-ms", "6000", "--heartbeat-interval-ms", "500",
             "--assignment-strategy", strategy, "--log-level", "info"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.seen = seen
        self.lock = threading.Lock()
        self.stderr = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        threading.Thread(target=lambda: self.stderr.extend(self.proc.stderr), daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            r = json.loads(line)
            with self.lock:
                self.seen.append(("kafkawire", r["partition"], r["offset"], b64(r["value_b64"])))

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        assert self.proc.wait(30) == 0, b"".join(self.stderr).decode()[-3000:]
        self.reader.join(10)

    def kill9(self):
        self.proc.kill()
        self.proc.wait(10)
        self.reader.join(10)


class ConfluentMember:
    """A confluent-kafka member that commits what it processed when partitions are revoked."""

    def __init__(self, bootstrap: str, topic: str, group: str, seen: list, strategy: str = "range"):
        self.seen = seen
        self.processed = {}
        self.assignment = set()
        self.consumer = Consumer({
            "bootstrap.servers": bootstrap, "group.id": group, "client.id": "confluent-member",
            "partition.assignment.strategy": strategy, "session.timeout.ms": 10000,
            "heartbeat.interval.ms": 500, "auto.offset.reset": "earliest", "enable.auto.commit": False,
        })
        self.consumer.subscribe([topic], on_assign=self._on_assign, on_revoke=self._on_revoke)
        self.topic = topic

    def _commit(self, partitions):
        offsets = [TopicPartition(self.topic, p, self.processed[p] + 1) for p in partitions if p in self.processed]
        if offsets:
            self.consumer.commit(offsets=offsets, asynchronous=False)

    def _on_assign(self, consumer, partitions):
        # Cooperative protocols announce only the added partitions.
        self.assignment |= {tp.partition for tp in partitions}

    def _on_revoke(self, consumer, partitions):
        self._commit([tp.partition for tp in partitions])
        for tp in partitions:
            self.processed.pop(tp.partition, None)
        self.assignment -= {tp.partition for tp in partitions}

    def poll(self, seconds: float):
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            msg = self.consumer.poll(0.05)
            if msg is None:
                continue
            assert not msg.error() or not msg.error().fatal(), msg.error()
            if msg.error():
                continue
            self.seen.append(("confluent", msg.partition(), msg.offset(), msg.value()))
            self.processed[msg.partition()] = msg.offset()

    def commit_all(self):
        self._commit(list(self.processed))

    def close(self):
        self.commit_all()
        self.consumer.close()


def produce(bootstrap: str, topic: str, tag: str, per_partition: int, partitions: int = 6) -> set:
    producer = Producer({"bootstrap.servers": bootstrap, "linger.ms": 5, "acks": "all"})
    values = set()
    for p in range(partitions):
        for i in range(per_partition):
            value = f"{tag}-p{p}-{i}".encode()
            values.add(value)
            producer.produce(topic, value=value, partition=p)
    assert producer.flush(30) == 0
    return values


@pytest.mark.timeout(240)
def test_group_with_kafkawire_and_confluent_members(broker):
    topic, group = "kw-group-mixed", "kw-group-mixed"
    create_topic(broker.bootstrap, topic, 6)
    seen = []
    produced = produce(broker.bootstrap, topic, "first", 50)

    def values(who=None, since=0):
        return [v for (w, _p, _o, v) in list(seen)[since:] if who is None or w == who]

    def wait_for(condition, what, poller=None, timeout=60.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if poller is not None:
                poller.poll(0.2)
            else:
                time.sleep(0.2)
            if condition():
                return
        raise AssertionError(f"timed out waiting for {what}; seen {len(seen)} records")

    # The kafkawire member alone reads everything there is.
    kw = KafkaWireMember(broker.bootstrap, topic, group, seen)
    wait_for(lambda: set(values("kafkawire")) >= produced, "kafkawire alone to read the first records")

    # confluent joins: the partitions split without overlap or gap.
    cf = ConfluentMember(broker.bootstrap, topic, group, seen)
    wait_for(lambda: len(cf.assignment) == 3, "the confluent member to get its share", poller=cf)
    mark = len(seen)
    produced |= produce(broker.bootstrap, topic, "split", 40)
    wait_for(lambda: set(values()) >= produced, "both members to read the split records", poller=cf)
    kw_partitions = {p for (w, p, _o, _v) in seen[mark:] if w == "kafkawire"}
    cf_partitions = {p for (w, p, _o, _v) in seen[mark:] if w == "confluent"}
    assert kw_partitions.isdisjoint(cf_partitions), (kw_partitions, cf_partitions)
    assert kw_partitions | cf_partitions == set(range(6))
    assert cf_partitions == cf.assignment

    # kafkawire leaves gracefully: confluent takes over where it committed.
    kw.stop()
    wait_for(lambda: len(cf.assignment) == 6, "the confluent member to take every partition", poller=cf)
    produced |= produce(broker.bootstrap, topic, "after-leave", 20)
    wait_for(lambda: set(values()) >= produced, "the records after the leave", poller=cf)

    # kafkawire joins again, then is killed without leaving.
    kw = KafkaWireMember(broker.bootstrap, topic, group, seen)
    wait_for(lambda: len(cf.assignment) == 3, "the rejoin to split the partitions again", poller=cf)
    produced |= produce(broker.bootstrap, topic, "rejoined", 20)
    wait_for(lambda: set(values()) >= produced, "the records after the rejoin", poller=cf)
    cf.commit_all()
    graceful = list(seen)
    kw.kill9()

    # Graceful rebalances only so far: nothing processed twice.
    counts = {}
    for (_w, p, o, _v) in graceful:
        counts[(p, o)] = counts.get((p, o), 0) + 1
    twice = {k: n for k, n in counts.items() if n > 1}
    assert not twice, f"processed more than once during graceful rebalances: {sorted(twice)[:20]}"

    # After the session timeout the confluent member owns everything and reads what is left.
    produced |= produce(broker.bootstrap, topic, "after-kill", 20)
    wait_for(lambda: len(cf.assignment) == 6, "the group to drop the killed member", poller=cf, timeout=60)
    wait_for(lambda: set(values()) >= produced, "every record at least once", poller=cf)
    cf.close()
    assert set(values()) == produced


@pytest.mark.timeout(180)
def test_cooperative_sticky_group_with_confluent_member(broker):
    """Both members speak cooperative-sticky: the subscription's ownedPartitions and the
    generation, and the leader's withheld partitions, must be understood both ways."""
    topic, group = "kw-group-cooperative", "kw-group-cooperative"
    create_topic(broker.bootstrap, topic, 6)
    seen = []
    produced = produce(broker.bootstrap, topic, "first", 30)

    def values():
        return [v for (_w, _p, _o, v) in list(seen)]

    def wait_for(condition, what, poller=None, timeout=60.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if poller is not None:
                poller.poll(0.2)
            else:
                time.sleep(0.2)
            if condition():
                return
        raise AssertionError(f"timed out waiting for {what}; seen {len(seen)} records")

    kw = KafkaWireMember(broker.bootstrap, topic, group, seen, strategy="cooperative-sticky")
    wait_for(lambda: set(values()) >= produced, "kafkawire alone to read the first records")
    cf = ConfluentMember(broker.bootstrap, topic, group, seen, strategy="cooperative-sticky")
    wait_for(lambda: len(cf.assignment) == 3, "the incremental hand-over of three partitions", poller=cf)
    mark = len(seen)
    produced |= produce(broker.bootstrap, topic, "split", 30)
    wait_for(lambda: set(values()) >= produced, "both members to read the split records", poller=cf)
    kw_partitions = {p for (w, p, _o, _v) in seen[mark:] if w == "kafkawire"}
    cf_partitions = {p for (w, p, _o, _v) in seen[mark:] if w == "confluent"}
    assert kw_partitions.isdisjoint(cf_partitions), (kw_partitions, cf_partitions)
    assert kw_partitions | cf_partitions == set(range(6))
    kw.stop()
    wait_for(lambda: len(cf.assignment) == 6, "the confluent member to take every partition", poller=cf)
    produced |= produce(broker.bootstrap, topic, "after-leave", 10)
    wait_for(lambda: set(values()) >= produced, "the records after the leave", poller=cf)
    cf.close()
    counts = {}
    for (_w, p, o, _v) in seen:
        counts[(p, o)] = counts.get((p, o), 0) + 1
    assert not {k for k, n in counts.items() if n > 1}, "records processed twice"
    assert set(values()) == produced


@pytest.mark.timeout(120)
@pytest.mark.parametrize("hard", [False, True], ids=["restart", "kill9"])
def test_follow_survives_a_broker_restart(broker, hard):
    """A following consumer reconnects after the broker goes away and comes back, and
    continues from where it was: every record once, in order per partition."""
    topic = f"kw-follow-restart-{int(hard)}"
    create_topic(broker.bootstrap, topic, 2)
    seen = []
    first = produce(broker.bootstrap, topic, "before", 50, partitions=2)
    proc = subprocess.Popen(
        [kafkawire_bin(), "consume", "--brokers", broker.bootstrap, "--topic", topic, "--follow", "--json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    reader = threading.Thread(
        target=lambda: seen.extend((json.loads(line)["partition"], json.loads(line)["offset"],
                                    b64(json.loads(line)["value_b64"])) for line in proc.stdout),
        daemon=True)
    reader.start()

    def wait_for(condition, what, timeout=60.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what}; seen {len(seen)}")

    try:
        wait_for(lambda: {v for (_p, _o, v) in list(seen)} >= first, "the records before the restart")
        broker.restart(hard=hard)
        second = produce(broker.bootstrap, topic, "after", 50, partitions=2)
        wait_for(lambda: {v for (_p, _o, v) in list(seen)} >= first | second, "the records after the restart")
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(20)
    for p in range(2):
        offsets = [o for (q, o, _v) in seen if q == p]
        assert offsets == list(range(100)), f"partition {p}: {offsets[:5]}... ({len(offsets)})"


@pytest.mark.timeout(120)
def test_group_member_survives_a_broker_restart(broker):
    """The coordinator forgets the member when the broker restarts: the member loses its
    partitions, joins again and goes on from the committed offsets (at least once)."""
    topic, group = "kw-group-restart", "kw-group-restart"
    create_topic(broker.bootstrap, topic, 3)
    seen = []
    first = produce(broker.bootstrap, topic, "before", 20, partitions=3)
    kw = KafkaWireMember(broker.bootstrap, topic, group, seen)
    deadline = time.monotonic() + 60
    while not {v for (_w, _p, _o, v) in list(seen)} >= first:
        assert time.monotonic() < deadline, f"seen {len(seen)} before the restart"
        time.sleep(0.1)
    broker.restart(hard=True)
    second = produce(broker.bootstrap, topic, "after", 20, partitions=3)
    deadline = time.monotonic() + 60
    while not {v for (_w, _p, _o, v) in list(seen)} >= first | second:
        assert time.monotonic() < deadline, f"seen {len(seen)} after the restart:\n" + b"".join(kw.stderr).decode()[-3000:]
        time.sleep(0.1)
    kw.stop()
