"""The KafkaWire producer (`kafkawire produce`) against real clients: partitioning (acceptance 2),
records read back byte-identical by kcat and confluent-kafka (acceptance 1, producer side), and the
idempotent producer through a proxy that cuts its connections (acceptance 4)."""

from __future__ import annotations

import json
import random
import socket
import threading
import time
import zlib

import pytest
from confluent_kafka import Producer

from fault_proxy import accept_connections
from helpers import Broker, consume_all, create_topic, free_port, kafkawire_bin, kcat_bin, run

HEADERS = [("h1", "v1"), ("h2", "value-two")]


def java_murmur2(data: bytes) -> int:
    """org.apache.kafka.common.utils.Utils.murmur2, transcribed: the reference definition."""
    m, r = 0x5BD1E995, 24
    length = len(data)
    h = (0x9747B28C ^ length) & 0xFFFFFFFF
    for i in range(length // 4):
        k = int.from_bytes(data[4 * i:4 * i + 4], "little")
        k = (k * m) & 0xFFFFFFFF
        k ^= k >> r
        k = (k * m) & 0xFFFFFFFF
        h = (h * m) & 0xFFFFFFFF
        h ^= k
    tail, rest = (length // 4) * 4, length & 3
    if rest == 3:
        h ^= data[tail + 2] << 16
    if rest >= 2:
        h ^= data[tail + 1] << 8
    if rest >= 1:
        h ^= data[tail]
        h = (h * m) & 0xFFFFFFFF
    h ^= h >> 13
    h = (h * m) & 0xFFFFFFFF
    h ^= h >> 15
    return h - (1 << 32) if h >= 1 << 31 else h


def java_partition(key: bytes, partitions: int) -> int:
    return (java_murmur2(key) & 0x7FFFFFFF) % partitions  # Utils.toPositive, then modulo


def test_java_murmur2_reference_vectors():
    # Apache Kafka's UtilsTest.testMurmur2, so the reference above is the Java one.
    assert java_murmur2(b"21") == -973932308
    assert java_murmur2(b"foobar") == -790332482
    assert java_murmur2(b"a-little-bit-long-string") == -985981536
    assert java_murmur2(b"a-little-bit-longer-string") == -1486304829
    assert java_murmur2(b"lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8") == -58897971
    assert java_murmur2(b"abc") == 479470107


def kafkawire_produce(bootstrap: str, topic: str, lines: list[bytes], *args: str, timeout: float = 120) -> list[dict]:
    """Runs `kafkawire produce --report`; returns one dict per input line (partition/offset or error)."""
    proc = run([kafkawire_bin(), "produce", "--brokers", bootstrap, "--topic", topic, "--report", *args],
               input=b"".join(line + b"\n" for line in lines), timeout=timeout, check=False)
    reports = [json.loads(line) for line in proc.stdout.decode().splitlines() if line.strip()]
    assert len(reports) == len(lines), (
        f"{len(reports)} reports for {len(lines)} lines (status {proc.returncode})\n"
        f"{proc.stderr.decode('utf-8', 'replace')[-3000:]}")
    return reports


def make_keys(n: int, seed: int) -> list[bytes]:
    rng = random.Random(seed)
    keys = []
    for i in range(n):
        style = i % 4
        if style == 0:
            key = f"order-{i}".encode()
        elif style == 1:
            key = bytes(rng.choice(b"abcdefghijklmnopqrstuvwxyz0123456789-_") for _ in range(rng.randint(1, 40)))
        elif style == 2:
            key = f"客户-{i}-é".encode()
        else:  # arbitrary bytes except the delimiter and newline
            key = bytes(rng.choice([b for b in range(256) if b not in (9, 10)]) for _ in range(rng.randint(1, 13)))
        keys.append(key)
    return keys


@pytest.mark.timeout(180)
@pytest.mark.parametrize("partitions", [6, 13])
def test_partition_for_key_matches_java_and_librdkafka_murmur2_random(broker, partitions):
    topic = f"interop-partitioner-{partitions}"
    create_topic(broker.bootstrap, topic, partitions)
    keys = make_keys(10_000, seed=partitions)
    reports = kafkawire_produce(broker.bootstrap, topic, [k + b"\t" + b"v" for k in keys], "--key-delimiter", "\t")
    assert all("error" not in r for r in reports), [r for r in reports if "error" in r][:5]
    ours = [r["partition"] for r in reports]

    # librdkafka (confluent-kafka) with murmur2_random: its delivery reports say where each key went.
    theirs: list[int | None] = [None] * len(keys)
    producer = Producer({"bootstrap.servers": broker.bootstrap, "partitioner": "murmur2_random", "linger.ms": 5})

    def report(index):
        def callback(err, msg):
            assert err is None, err
            theirs[index] = msg.partition()
        return callback

    for i, key in enumerate(keys):
        producer.produce(topic, key=key, value=b"v", on_delivery=report(i))
        if i % 1000 == 0:
            producer.poll(0)
    assert producer.flush(60) == 0

    java = [java_partition(k, partitions) for k in keys]
    mismatches = [(k, o, t, j) for k, o, t, j in zip(keys, ours, theirs, java) if not (o == t == j)]
    assert not mismatches, f"{len(mismatches)} keys differ (key, kafkawire, librdkafka, java): {mismatches[:5]}"
    assert len(set(ours)) == partitions


def make_values(n: int, seed: int) -> list[bytes]:
    rng = random.Random(seed)
    values = []
    for i in range(n):
        style = i % 4
        if style == 0:
            value = f"v{i:05d}:".encode() + bytes(rng.choice([b for b in range(256) if b != 10]) for _ in range(rng.randint(0, 200)))
        elif style == 1:
            value = (f"v{i:05d}:" + "order-event " * rng.randint(1, 40)).encode()
        elif style == 2:
            value = (f"v{i:05d}:" + "é∑漢字🙂" * rng.randint(1, 10)).encode()
        else:
            value = f'v{i:05d}:{{"id":{i},"type":"OrderPlaced"}}'.encode()
        values.append(value)
    return values


def parse_kcat(out: bytes):
    """Parses `%p %o %T %K %S|%k|%s|%h\\n` into [(partition, offset, timestamp, key, value, headers)]."""
    records, pos = [], 0
    while pos < len(out):
        bar = out.index(b"|", pos)
        partition, offset, timestamp, klen, vlen = (int(x) for x in out[pos:bar].split(b" "))
        pos = bar + 1
        key = out[pos:pos + klen] if klen >= 0 else None
        pos += max(klen, 0) + 1
        value = out[pos:pos + vlen] if vlen >= 0 else None
        pos += max(vlen, 0) + 1
        end = out.index(b"\n", pos)
        headers = out[pos:end]
        pos = end + 1
        records.append((partition, offset, timestamp, key, value, headers))
    return records


@pytest.mark.timeout(120)
@pytest.mark.parametrize("codec", ["none", "gzip", "snappy", "lz4", "zstd"])
def test_kafkawire_records_read_back_identical_by_kcat_and_confluent(broker, codec):
    partitions = 3
    topic = f"interop-kw-produce-{codec}"
    create_topic(broker.bootstrap, topic, partitions)
    keys = [f"key-{i % 97:03d}".encode() for i in range(3000)]
    values = make_values(3000, seed=zlib.crc32(codec.encode()))
    header_flags = [arg for name, value in HEADERS for arg in ("--header", f"{name}={value}")]
    before = int(time.time() * 1000)
    reports = kafkawire_produce(broker.bootstrap, topic, [k + b":" + v for k, v in zip(keys, values)],
                                "--key-delimiter", ":", "--compression", codec, *header_flags)
    after = int(time.time() * 1000)
    assert all("error" not in r for r in reports), [r for r in reports if "error" in r][:5]

    # What was sent, where kafkawire said it went.
    sent = {(r["partition"], r["offset"]): (k, v) for r, k, v in zip(reports, keys, values)}
    assert len(sent) == len(keys), "two records reported at the same offset"
    for p in range(partitions):
        offsets = sorted(o for (q, o) in sent if q == p)
        assert offsets == list(range(len(offsets))), f"partition {p}: offsets not 0..n-1"
        assert all(java_partition(sent[(p, o)][0], partitions) == p for o in offsets)

    # confluent-kafka reads key, value, headers; both readers see the same timestamps.
    by_confluent = consume_all(broker.bootstrap, topic, partitions)
    timestamps = {}
    for p, messages in by_confluent.items():
        for m in messages:
            key, value = sent[(p, m.offset())]
            assert m.key() == key and m.value() == value, f"confluent {p}@{m.offset()} differs"
            assert [(n, v.decode()) for n, v in m.headers()] == HEADERS
            ts_type, ts = m.timestamp()
            assert ts_type == 1 and before <= ts <= after, (ts_type, ts, before, after)
            timestamps[(p, m.offset())] = ts
    assert len(timestamps) == len(sent)

    out = run([kcat_bin(), "-C", "-b", broker.bootstrap, "-t", topic, "-e", "-o", "beginning", "-q",
               "-f", r"%p %o %T %K %S|%k|%s|%h\n"], timeout=60).stdout
    records = parse_kcat(out)
    assert len(records) == len(sent)
    header_text = ",".join(f"{n}={v}" for n, v in HEADERS).encode()
    for p, o, ts, key, value, headers in records:
        assert (key, value) == sent[(p, o)], f"kcat {p}@{o} differs"
        assert headers == header_text
        assert ts == timestamps[(p, o)]


# ------------------------------------------------------------------ connection cuts (acceptance 4)

class CuttingProxy:
    """A TCP proxy to the broker that closes every connection after a random amount of upstream
    bytes (so requests are cut mid-frame or their answers lost), `cuts` times in all."""

    def __init__(self, port: int, upstream_port: int, cuts: int, seed: int = 4):
        self.upstream_port = upstream_port
        self.port = port
        self.cuts_left = cuts
        self.cuts_done = 0
        self.rng = random.Random(seed)
        self.lock = threading.Lock()
        self.listener = socket.create_server(("127.0.0.1", port))
        self.closed = False
        threading.Thread(target=self.accept_loop, daemon=True).start()

    def accept_loop(self):
        accept_connections(self.listener, self.upstream_port, lambda: self.closed, self.start_pair)

    def start_pair(self, client, upstream):
        with self.lock:
            budget = self.rng.randint(20_000, 400_000) if self.cuts_left > 0 else None
        pair = {"client": client, "upstream": upstream, "budget": budget, "done": False}
        threading.Thread(target=self.pump, args=(pair, client, upstream, True), daemon=True).start()
        threading.Thread(target=self.pump, args=(pair, upstream, client, False), daemon=True).start()

    def cut(self, pair):
        if pair["done"]:
            return
        pair["done"] = True
        for s in (pair["client"], pair["upstream"]):
            try:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")  # RST
                s.close()
            except OSError:
                pass

    def pump(self, pair, source, sink, upstream_direction):
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                if upstream_direction and pair["budget"] is not None:
                    if len(data) >= pair["budget"]:
                        with self.lock:
                            cut = self.cuts_left > 0
                            if cut:
                                self.cuts_left -= 1
                                self.cuts_done += 1
                        if cut:
                            sink.sendall(data[:pair["budget"]])  # part of a request reaches the broker
                            self.cut(pair)
                            return
                        pair["budget"] = None
                    else:
                        pair["budget"] -= len(data)
                sink.sendall(data)
        except OSError:
            pass
        self.cut(pair)

    def close(self):
        self.closed = True
        self.listener.close()


@pytest.mark.timeout(240)
def test_idempotent_producer_through_connection_cuts_writes_each_acknowledged_record_once_in_order(tmp_path):
    proxy_port = free_port()
    broker = Broker(tmp_path / "data", tmp_path / "broker.log",
                    extra_args=["--advertise", f"127.0.0.1:{proxy_port}", "--default-partitions", "4"])
    broker.start()
    proxy = None
    try:
        partitions = 4
        # The broker advertises the proxy's address, so every connection (metadata too) goes through it.
        proxy = CuttingProxy(proxy_port, broker.port, cuts=25)
        bootstrap = f"127.0.0.1:{proxy_port}"
        create_topic(bootstrap, "interop-cuts", partitions)
        count = 60_000
        lines = [f"k{i % 16:02d}\tseq-{i:06d}-{'x' * 40}".encode() for i in range(count)]
        reports = kafkawire_produce(bootstrap, "interop-cuts", lines, "--key-delimiter", "\t", timeout=200)
        print(f"connection cuts: {proxy.cuts_done}, failed records: {sum('error' in r for r in reports)}")
        assert proxy.cuts_done >= 5, f"only {proxy.cuts_done} connection cuts happened"
        acknowledged = [(i, r) for i, r in enumerate(reports) if "error" not in r]
        errors = sorted({str(r["error"]) for r in reports if "error" in r})[:5]
        assert len(acknowledged) >= count * 0.99, f"{count - len(acknowledged)} records failed: {errors}"

        log = consume_all(bootstrap, "interop-cuts", partitions, timeout=60)
        seen = {}
        for p, messages in log.items():
            values = [m.value() for m in messages]
            assert len(values) == len(set(values)), f"partition {p} holds duplicates"
            # Per partition the log keeps the production order.
            indexes = [int(v.split(b"-")[1]) for v in values]
            assert indexes == sorted(indexes), f"partition {p} out of order"
            for m in messages:
                seen[m.value()] = (p, m.offset())
        for i, r in acknowledged:
            value = lines[i].split(b"\t", 1)[1]
            assert seen.get(value) == (r["partition"], r["offset"]), f"record {i} acknowledged at {r}, log has {seen.get(value)}"
    finally:
        if proxy is not None:
            proxy.close()
        broker.stop(timeout=10, strict=False)
