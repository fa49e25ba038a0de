"""kcat (librdkafka 2.0.2 from Debian) against kafkawire: metadata, and produce/consume with every codec."""

from __future__ import annotations

import random
import re
import zlib

import pytest

from helpers import create_topic, kcat_bin, run, wait_for_topic

PARTITIONS = 3
MESSAGES = 10_000
HEADERS = [("h1", "v1"), ("h2", "value-two")]

# One line per message; lengths make key and value unambiguous whatever bytes they contain.
CONSUME_FORMAT = r"%p %o %K %S|%k|%s|%h\n"


def parse_kcat_metadata(text: str):
    """Parses `kcat -L` text output into (brokers {id: "host:port"}, topics {name: [(partition, leader, replicas, isrs)]})."""
    brokers, topics, current = {}, {}, None
    for line in text.splitlines():
        if m := re.match(r"^\s+broker (-?\d+) at (\S+)", line):
            brokers[int(m.group(1))] = m.group(2)
        elif m := re.match(r'^\s+topic "([^"]+)" with (\d+) partitions:', line):
            current = m.group(1)
            topics[current] = []
        elif m := re.match(r"^\s+partition (\d+), leader (-?\d+), replicas: ([\d,]*), isrs: ([\d,]*)", line):
            assert current is not None, line
            ints = lambda s: [int(x) for x in s.split(",") if x]  # noqa: E731
            topics[current].append((int(m.group(1)), int(m.group(2)), ints(m.group(3)), ints(m.group(4))))
        elif m := re.match(r'^\s+topic "([^"]+)" Broker: (.*)', line):
            topics[m.group(1)] = f"error: {m.group(2)}"
    return brokers, topics


def kcat_metadata(bootstrap: str, *extra: str):
    proc = run([kcat_bin(), "-L", "-b", bootstrap, "-m", "10", *extra], timeout=30)
    return proc.stdout.decode(), *parse_kcat_metadata(proc.stdout.decode())


def assert_topic_listed(text, brokers, topics, name, partitions):
    assert name in topics, f"topic {name!r} not in kcat -L output:\n{text}"
    parts = topics[name]
    assert isinstance(parts, list), f"topic {name!r}: {parts}\n{text}"
    assert sorted(p[0] for p in parts) == list(range(partitions)), text
    (broker_id,) = brokers
    for partition, leader, replicas, isrs in parts:
        assert leader == broker_id, f"partition {partition} leader {leader}, broker is {broker_id}\n{text}"
        assert replicas == [broker_id], f"partition {partition} replicas {replicas}\n{text}"
        assert isrs == [broker_id], f"partition {partition} isrs {isrs}\n{text}"


def test_kcat_lists_broker_topic_and_partitions(broker):
    create_topic(broker.bootstrap, "interop-meta", PARTITIONS)
    text, brokers, topics = kcat_metadata(broker.bootstrap)
    assert len(brokers) == 1, f"expected exactly one broker:\n{text}"
    (address,) = brokers.values()
    assert address == broker.bootstrap, f"broker advertises {address}, listens on {broker.bootstrap}\n{text}"
    assert_topic_listed(text, brokers, topics, "interop-meta", PARTITIONS)

    # Metadata for just that topic, too.
    text, brokers, topics = kcat_metadata(broker.bootstrap, "-t", "interop-meta")
    assert_topic_listed(text, brokers, topics, "interop-meta", PARTITIONS)
    assert set(topics) == {"interop-meta"}, text


@pytest.mark.broker_args("--auto-create-topics", "true", "--default-partitions", "4")
def test_kcat_produce_auto_creates_topic(broker):
    proc = run([kcat_bin(), "-P", "-b", broker.bootstrap, "-t", "interop-auto", "-m", "10", "-K:"],
               input=b"k1:hello\nk2:world\n", timeout=30)
    assert b"Delivery failed" not in proc.stderr, proc.stderr.decode()
    wait_for_topic(broker.bootstrap, "interop-auto", 4)
    text, brokers, topics = kcat_metadata(broker.bootstrap)
    assert_topic_listed(text, brokers, topics, "interop-auto", 4)
    out = run([kcat_bin(), "-C", "-b", broker.bootstrap, "-t", "interop-auto", "-e", "-o", "beginning",
               "-f", CONSUME_FORMAT], timeout=30).stdout
    records = parse_consumed(out)
    assert sorted((k, v) for (_p, _o, k, v, _h) in records) == [(b"k1", b"hello"), (b"k2", b"world")]


# ----------------------------------------------------------------------------- produce/consume

ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 :;,.-_=+*/\\|\t'\"!?#$%&()[]{}<>~^`@"


def make_messages(n: int, seed: int):
    """(key, value) pairs as bytes; keys repeat (per-key order matters), values mix random and repetitive text."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        key = f"key-{i % 997:04d}".encode()
        style = i % 4
        if i % 1000 == 999:
            value = f"v{i:05d}".encode()  # short
        elif style == 0:
            value = (f"v{i:05d}:" + "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 300)))).encode()
        elif style == 1:
            value = (f"v{i:05d}:" + "order-event " * rng.randint(1, 40)).encode()
        elif style == 2:
            value = (f"v{i:05d}:" + "é∑漢字🙂" * rng.randint(1, 10)).encode()  # UTF-8 multi-byte
        else:
            value = f'v{i:05d}:{{"id":{i},"type":"OrderPlaced","amount":{rng.randint(0, 10**6)}}}'.encode()
        assert b"\n" not in value and b":" not in key
        out.append((key, value))
    return out


def expected_partition(key: bytes, partitions: int) -> int:
    # librdkafka's consistent partitioner: CRC-32 of the key modulo the partition count.
    return zlib.crc32(key) % partitions


def parse_consumed(out: bytes):
    """Parses CONSUME_FORMAT output into [(partition, offset, key, value, headers)], strictly."""
    records, pos = [], 0
    while pos < len(out):
        bar = out.index(b"|", pos)
        partition, offset, klen, vlen = (int(x) for x in out[pos:bar].split(b" "))
        pos = bar + 1
        key = out[pos:pos + klen] if klen >= 0 else None
        pos += max(klen, 0)
        assert out[pos:pos + 1] == b"|", f"bad key framing at byte {pos}"
        pos += 1
        value = out[pos:pos + vlen] if vlen >= 0 else None
        pos += max(vlen, 0)
        assert out[pos:pos + 1] == b"|", f"bad value framing at byte {pos}"
        pos += 1
        end = out.index(b"\n", pos)
        headers = out[pos:end]
        pos = end + 1
        records.append((partition, offset, key, value, headers))
    return records


def render(records) -> bytes:
    """Canonical bytes for a list of records (what 'byte-identical' is checked on)."""
    return b"".join(
        b"%d %d %d %d|%s|%s|%s\n" % (p, o, len(k), len(v), k, v, h) for (p, o, k, v, h) in records
    )


@pytest.mark.parametrize("codec", ["none", "gzip", "snappy", "lz4", "zstd"])
def test_kcat_roundtrip_compressed(broker, codec):
    topic = f"interop-kcat-{codec}"
    create_topic(broker.bootstrap, topic, PARTITIONS)
    messages = make_messages(MESSAGES, seed=zlib.crc32(codec.encode()))
    stdin = b"".join(k + b":" + v + b"\n" for k, v in messages)
    header_flags = [arg for name, value in HEADERS for arg in ("-H", f"{name}={value}")]
    proc = run([kcat_bin(), "-P", "-b", broker.bootstrap, "-t", topic, "-K:", *header_flags, "-z", codec,
                "-X", "topic.partitioner=consistent_random",
                "-X", "max.in.flight.requests.per.connection=1",  # keep production order without idempotence
                "-X", "linger.ms=20", "-m", "10"], input=stdin, timeout=45)
    assert b"Delivery failed" not in proc.stderr, proc.stderr.decode()[-3000:]

    # Expected log: per partition, in production order, offsets 0.. with the headers as sent.
    header_text = ",".join(f"{n}={v}" for n, v in HEADERS).encode()
    expected = {p: [] for p in range(PARTITIONS)}
    for key, value in messages:
        p = expected_partition(key, PARTITIONS)
        expected[p].append((p, len(expected[p]), key, value, header_text))

    out = run([kcat_bin(), "-C", "-b", broker.bootstrap, "-t", topic, "-e", "-o", "beginning", "-q",
               "-f", CONSUME_FORMAT], timeout=45).stdout
    records = parse_consumed(out)
    assert len(records) == MESSAGES, f"consumed {len(records)} of {MESSAGES} messages"
    actual = {p: [r for r in records if r[0] == p] for p in range(PARTITIONS)}
    assert set(r[0] for r in records) <= set(range(PARTITIONS))
    for p in range(PARTITIONS):
        assert len(actual[p]) == len(expected[p]), f"partition {p}: {len(actual[p])} vs {len(expected[p])}"
        first_diff = next((i for i, (a, e) in enumerate(zip(actual[p], expected[p])) if a != e), None)
        assert first_diff is None, (
            f"partition {p} differs at index {first_diff}:\n  got      {actual[p][first_diff]!r}\n"
            f"  expected {expected[p][first_diff]!r}")
        assert render(actual[p]) == render(expected[p])

    # From a given offset in one partition: exactly the tail of that partition.
    p = max(range(PARTITIONS), key=lambda q: len(expected[q]))
    start = len(expected[p]) // 2 + 7
    out = run([kcat_bin(), "-C", "-b", broker.bootstrap, "-t", topic, "-p", str(p), "-o", str(start), "-e", "-q",
               "-f", CONSUME_FORMAT], timeout=30).stdout
    assert out == render(expected[p][start:]), (
        f"partition {p} from offset {start}: got {len(parse_consumed(out))} records, "
        f"expected {len(expected[p]) - start}")

    # And the last message alone (offset = high watermark - 1).
    last = len(expected[p]) - 1
    out = run([kcat_bin(), "-C", "-b", broker.bootstrap, "-t", topic, "-p", str(p), "-o", str(last), "-e", "-q",
               "-f", CONSUME_FORMAT], timeout=30).stdout
    assert out == render(expected[p][last:])
