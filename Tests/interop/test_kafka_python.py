"""kafka-python (pure Python, its own protocol code) against kafkawire: admin, producer, consumer group."""

from __future__ import annotations

import time

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import NewTopic

from helpers import wait_for_topic

PARTITIONS = 3


def poll_records(consumer: KafkaConsumer, want: int, timeout: float, settle: float = 1.0):
    """Polls until `want` records arrived, then keeps polling `settle` seconds to catch extras."""
    records, deadline, settle_until = [], time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        for batch in consumer.poll(timeout_ms=200).values():
            records.extend(batch)
        if len(records) >= want:
            settle_until = settle_until or time.monotonic() + settle
            if time.monotonic() >= settle_until:
                break
    return records


def new_consumer(bootstrap: str, topic: str, group: str) -> KafkaConsumer:
    return KafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=group,
        client_id=f"{group}-member",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        session_timeout_ms=10000,
        heartbeat_interval_ms=1000,
        request_timeout_ms=20000,
    )


def test_kafka_python_produce_consume_group_roundtrip(broker):
    topic, group, n = "interop-kafka-python", "interop-kafka-python", 1000

    admin = KafkaAdminClient(bootstrap_servers=broker.bootstrap, client_id="interop-admin", request_timeout_ms=15000)
    try:
        admin.create_topics([NewTopic(topic, num_partitions=PARTITIONS, replication_factor=1)], timeout_ms=15000)
    finally:
        admin.close()
    wait_for_topic(broker.bootstrap, topic, PARTITIONS)

    producer = KafkaProducer(bootstrap_servers=broker.bootstrap, acks="all", linger_ms=5, request_timeout_ms=20000)
    sent = {}
    try:
        futures = []
        for i in range(n):
            key, value = f"customer-{i % 37}".encode(), f"kp-{i}".encode()
            headers = [("event-type", b"OrderPlaced"), ("seq", str(i).encode())]
            futures.append((key, value, headers, producer.send(topic, key=key, value=value, headers=headers)))
        producer.flush(timeout=30)
        for key, value, headers, future in futures:
            md = future.get(timeout=10)
            assert md.topic == topic
            assert (md.partition, md.offset) not in sent, f"two messages acknowledged at {md.partition}/{md.offset}"
            sent[(md.partition, md.offset)] = (key, value, headers)
    finally:
        producer.close(timeout=10)
    ends = {}
    for p, o in sent:
        ends[p] = max(ends.get(p, 0), o + 1)
    assert sum(ends.values()) == n, f"acknowledged offsets are not dense: {ends}"

    consumer = new_consumer(broker.bootstrap, topic, group)
    try:
        records = poll_records(consumer, n, timeout=30)
        got = {(r.partition, r.offset): (r.key, r.value, [(k, v) for k, v in r.headers]) for r in records}
        assert len(records) == n, f"consumed {len(records)} records, expected {n}"
        assert got == sent, "consumed records differ from what the producer was acknowledged"
        consumer.commit()
        for p in range(PARTITIONS):
            committed = consumer.committed(TopicPartition(topic, p))
            if p in ends:
                assert committed == ends[p], f"partition {p}: committed {committed}, end offset {ends[p]}"
            else:
                assert committed in (None, 0), f"empty partition {p}: committed {committed}"
    finally:
        consumer.close()

    # A later member of the same group resumes at the committed offsets: only new messages arrive.
    producer = KafkaProducer(bootstrap_servers=broker.bootstrap, acks="all")
    try:
        for i in range(10):
            producer.send(topic, key=f"late-{i}".encode(), value=f"late-{i}".encode()).get(timeout=20)
    finally:
        producer.close(timeout=10)
    consumer = new_consumer(broker.bootstrap, topic, group)
    try:
        records = poll_records(consumer, 10, timeout=30, settle=1.5)
        assert sorted(r.value for r in records) == sorted(f"late-{i}".encode() for i in range(10)), (
            f"second member got {len(records)} records: {[r.value for r in records][:12]}")
    finally:
        consumer.close()
