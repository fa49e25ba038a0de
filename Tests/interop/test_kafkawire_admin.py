"""The kafkawire admin commands (metadata, topics, groups) against the dev broker, checked
through clients nobody here wrote: kcat (librdkafka) and confluent-kafka."""

from __future__ import annotations

import json
import time

from confluent_kafka import Consumer, Producer, TopicPartition

from helpers import create_topic, kafkawire_bin, kcat_bin, run, wait_for_topic


def kafkawire(broker, *args: str, check: bool = True):
    return run([kafkawire_bin(), *args, "--brokers", broker.bootstrap], timeout=60, check=check)


def kafkawire_json(broker, *args: str):
    return json.loads(kafkawire(broker, *args, "--json").stdout)


def test_topics_created_by_kafkawire_are_seen_by_kcat_and_deleted(broker):
    kafkawire(broker, "topics", "create", "wire-made", "--partitions", "4", "--replication-factor", "1",
              "--config", "retention.ms=3600000")
    wait_for_topic(broker.bootstrap, "wire-made", 4)
    listing = run([kcat_bin(), "-L", "-b", broker.bootstrap, "-t", "wire-made", "-m", "10"]).stdout.decode()
    assert 'topic "wire-made" with 4 partitions' in listing, listing

    again = kafkawire(broker, "topics", "create", "wire-made", "--partitions", "4", check=False)
    assert again.returncode == 1
    assert again.stderr.decode().count("\n") == 1 and "already exists" in again.stderr.decode()

    kafkawire(broker, "topics", "delete", "wire-made")
    listing = run([kcat_bin(), "-L", "-b", broker.bootstrap, "-m", "10"]).stdout.decode()
    assert "wire-made" not in listing, listing


def test_metadata_and_describe_match_what_confluent_created(broker):
    create_topic(broker.bootstrap, "made-elsewhere", 3)
    metadata = kafkawire_json(broker, "metadata")
    assert [b["port"] for b in metadata["brokers"]] == [int(broker.bootstrap.rsplit(":", 1)[1])]
    (topic,) = [t for t in metadata["topics"] if t["name"] == "made-elsewhere"]
    assert [p["partition"] for p in topic["partitions"]] == [0, 1, 2]
    assert all(p["leader"] == metadata["brokers"][0]["id"] for p in topic["partitions"])

    described = kafkawire_json(broker, "topics", "describe", "made-elsewhere")
    assert described[0]["partitions"] == topic["partitions"]
    assert "made-elsewhere" in [t["name"] for t in kafkawire_json(broker, "topics", "list")]

    missing = kafkawire(broker, "topics", "describe", "nowhere", check=False)
    assert missing.returncode == 1
    assert missing.stderr.decode().startswith("error: ") and missing.stderr.decode().count("\n") == 1


def test_groups_describe_shows_a_librdkafka_members_assignment_and_lag(broker):
    create_topic(broker.bootstrap, "lagging", 3)
    producer = Producer({"bootstrap.servers": broker.bootstrap, "acks": "all"})
    for i in range(30):
        producer.produce("lagging", value=b"v%d" % i, partition=i % 3)
    assert producer.flush(15) == 0

    consumer = Consumer({
        "bootstrap.servers": broker.bootstrap, "group.id": "watchers", "client.id": "rd-member",
        "enable.auto.commit": False, "auto.offset.reset": "earliest",
        "partition.assignment.strategy": "range",
    })
    try:
        consumer.subscribe(["lagging"])
        deadline = time.monotonic() + 30
        while not consumer.assignment() and time.monotonic() < deadline:
            consumer.poll(0.2)
        assert len(consumer.assignment()) == 3
        # Commit 4 of the 10 records of every partition: lag 6 each.
        consumer.commit(offsets=[TopicPartition("lagging", p, 4) for p in range(3)], asynchronous=False)

        assert "watchers" in [g["group"] for g in kafkawire_json(broker, "groups", "list")]
        (group,) = kafkawire_json(broker, "groups", "describe", "watchers")
        assert group["state"] == "Stable"
        assert group["protocolType"] == "consumer"
        assert group["assignmentProtocol"] == "range"
        (member,) = group["members"]
        assert member["clientID"] == "rd-member"
        assert member["assignment"] == {"lagging": [0, 1, 2]}
        lag = {row["partition"]: row for row in group["lag"]}
        assert sorted(lag) == [0, 1, 2]
        for row in lag.values():
            assert (row["committedOffset"], row["endOffset"], row["lag"]) == (4, 10, 6)
            assert row["memberID"] == member["memberID"]

        text = kafkawire(broker, "groups", "describe", "watchers").stdout.decode()
        assert "rd-member" in text and "lagging" in text
    finally:
        consumer.close()
