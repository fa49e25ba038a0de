"""Raw-socket abuse of kafkawire: garbage, oversized and truncated frames, random request bodies,
and ApiVersions with an unsupported version. The broker must stay up (and small) and keep
serving real clients afterwards.

The random inputs come from a fixed seed (INTEROP_FUZZ_SEED overrides it); failures print it.
"""

from __future__ import annotations

import os
import random
import select
import socket
import struct
import time

from confluent_kafka import Producer

from helpers import consume_all, create_topic

SEED = int(os.environ.get("INTEROP_FUZZ_SEED", "20240611"))
UNSUPPORTED_VERSION = 35
API_VERSIONS = 18


# ----------------------------------------------------------------------------- wire helpers

def request_header(api_key: int, api_version: int, correlation_id: int, client_id: bytes | None = b"interop-fuzz",
                   flexible: bool = False) -> bytes:
    """Request header v1 (v2 when flexible: with an empty tagged-field section)."""
    cid = struct.pack(">h", -1) if client_id is None else struct.pack(">h", len(client_id)) + client_id
    header = struct.pack(">hhi", api_key, api_version, correlation_id) + cid
    return header + (b"\x00" if flexible else b"")


def frame(payload: bytes) -> bytes:
    return struct.pack(">i", len(payload)) + payload


def connect(broker, timeout: float = 5.0) -> socket.socket:
    s = socket.create_connection(("127.0.0.1", broker.port), timeout=timeout)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def read_exact(s: socket.socket, n: int) -> bytes:
    buf = b""
    while len(buf) < n:
        chunk = s.recv(n - len(buf))
        if not chunk:
            raise ConnectionError(f"connection closed after {len(buf)} of {n} bytes")
        buf += chunk
    return buf


def read_response(s: socket.socket) -> bytes:
    (size,) = struct.unpack(">i", read_exact(s, 4))
    assert 4 <= size <= 64 * 1024 * 1024, f"implausible response size {size}"
    return read_exact(s, size)


def api_versions_v0(broker, correlation_id: int = 1):
    """Sends ApiVersions v0 and returns (error_code, {api_key: (min, max)}), checking the exact v0 layout."""
    with connect(broker) as s:
        s.sendall(frame(request_header(API_VERSIONS, 0, correlation_id)))
        body = read_response(s)
    return parse_api_versions_v0(body, correlation_id)


def parse_api_versions_v0(body: bytes, correlation_id: int):
    corr, error, count = struct.unpack_from(">ihi", body, 0)
    assert corr == correlation_id, f"correlation id {corr}, sent {correlation_id}"
    assert 0 <= count <= 1000, f"implausible api count {count}"
    assert len(body) == 10 + 6 * count, (
        f"ApiVersions v0 response is {len(body)} bytes; header+error+array of {count} needs {10 + 6 * count}")
    apis = {}
    for i in range(count):
        key, lo, hi = struct.unpack_from(">hhh", body, 10 + 6 * i)
        assert key not in apis, f"api key {key} listed twice"
        assert 0 <= lo <= hi, f"api key {key}: versions {lo}..{hi}"
        apis[key] = (lo, hi)
    return error, apis


def exchange_many(broker, payloads: list[bytes], wait: float = 2.0, batch: int = 48):
    """Sends each raw payload on its own connection (up to `batch` connections at a time) and waits up
    to `wait` seconds per batch for each to be answered or closed. Returns [(payload, outcome, data)],
    outcome in {"closed", "reset", "answered", "silent"}."""
    results = []
    for start in range(0, len(payloads), batch):
        chunk = payloads[start:start + batch]
        socks = []
        for payload in chunk:
            s = connect(broker)
            try:
                s.sendall(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the broker may close before we finish writing: fine
            socks.append(s)
        data = {s: b"" for s in socks}
        state = {s: "silent" for s in socks}
        open_socks = set(socks)
        deadline = time.monotonic() + wait
        while open_socks and time.monotonic() < deadline:
            readable, _, _ = select.select(list(open_socks), [], [], max(0.0, deadline - time.monotonic()))
            for s in readable:
                try:
                    chunk_bytes = s.recv(65536)
                except ConnectionResetError:
                    state[s] = "reset"
                    open_socks.discard(s)
                    continue
                if not chunk_bytes:
                    state[s] = "closed" if not data[s] else "answered"
                    open_socks.discard(s)
                else:
                    data[s] += chunk_bytes
                    state[s] = "answered"
        for payload, s in zip(chunk, socks):
            results.append((payload, state[s], data[s]))
            s.close()
        broker.assert_alive(f"after malformed input (seed {SEED})")
    return results


def frames_in(buf: bytes) -> list[bytes]:
    """The complete length-prefixed frames at the start of buf."""
    out, pos = [], 0
    while pos + 4 <= len(buf):
        (n,) = struct.unpack_from(">i", buf, pos)
        if n < 0 or pos + 4 + n > len(buf):
            break
        out.append(buf[pos + 4:pos + 4 + n])
        pos += 4 + n
    return out


def check_answers(results):
    """Whatever the broker chose to answer must be frames carrying correlation ids of requests we sent,
    in request order (a request may go unanswered, e.g. when the broker hangs up)."""
    for payload, outcome, data in results:
        if outcome != "answered":
            continue
        sent = [struct.unpack_from(">i", f, 4)[0] for f in frames_in(payload) if len(f) >= 8]
        answers = frames_in(data)
        assert answers or len(data) < 4, f"answer {data[:32]!r} is not a frame (request {payload[:16].hex()}, seed {SEED})"
        position = 0
        for answer in answers:
            assert len(answer) >= 4, f"answer frame of {len(answer)} bytes (seed {SEED})"
            (corr,) = struct.unpack_from(">i", answer, 0)
            assert corr in sent[position:], (
                f"answer with correlation id {corr}, requests sent {sent[:8]} (request prefix {payload[:16].hex()}, "
                f"seed {SEED})")
            position = sent.index(corr, position) + 1


def assert_clients_still_work(broker, topic: str) -> None:
    broker.assert_alive()
    error, apis = api_versions_v0(broker, correlation_id=777)
    assert error == 0 and API_VERSIONS in apis
    create_topic(broker.bootstrap, topic, 2)
    producer = Producer({"bootstrap.servers": broker.bootstrap, "enable.idempotence": True, "acks": "all"})
    failures = []
    for i in range(100):
        producer.produce(topic, key=str(i).encode(), value=f"after-fuzz-{i}".encode(), partition=i % 2,
                         on_delivery=lambda err, msg: err and failures.append(err))
    assert producer.flush(20) == 0 and not failures, f"produce after malformed input failed: {failures[:3]}"
    log = consume_all(broker.bootstrap, topic, 2)
    values = sorted(m.value() for msgs in log.values() for m in msgs)
    assert values == sorted(f"after-fuzz-{i}".encode() for i in range(100))
    broker.assert_alive()


def memory_kib(broker) -> int:
    return broker.status_kib("VmHWM") or broker.status_kib("VmRSS") or 0


# ----------------------------------------------------------------------------- tests

def test_api_versions_unknown_version_gets_unsupported_version_and_v0_list(broker):
    error, supported = api_versions_v0(broker)
    assert error == 0, f"ApiVersions v0 error {error}"
    for key in (0, 1, 2, 3, 18):  # Produce, Fetch, ListOffsets, Metadata, ApiVersions
        assert key in supported, f"api key {key} missing from ApiVersions: {sorted(supported)}"

    # ApiVersions v99, sent the way a future client would (flexible header v2, v3-style body).
    body = b"\x0dinterop-fuzz" + b"\x061.0.0" + b"\x00"  # compact strings (length+1), empty tagged fields
    with connect(broker) as s:
        s.sendall(frame(request_header(API_VERSIONS, 99, 4242, flexible=True) + body))
        reply = read_response(s)
    error, listed = parse_api_versions_v0(reply, 4242)
    assert error == UNSUPPORTED_VERSION, f"ApiVersions v99 answered with error {error}, want {UNSUPPORTED_VERSION}"
    assert listed == supported, "the version list with UNSUPPORTED_VERSION differs from the ApiVersions v0 list"
    assert listed[API_VERSIONS][1] >= 3, f"ApiVersions max version {listed[API_VERSIONS][1]} (clients expect >= 3)"

    assert_clients_still_work(broker, "interop-after-apiversions")


def test_garbage_bytes_do_not_crash_the_broker(broker):
    rng = random.Random(SEED)
    payloads = [b"", b"\x00", b"\x00\x00\x00", b"\xff" * 64, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n",
                b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(32)]  # HTTP, TLS ClientHello
    payloads += [rng.randbytes(rng.randint(1, 4096)) for _ in range(60)]
    # Small plausible length prefixes followed by garbage.
    for _ in range(40):
        body = rng.randbytes(rng.randint(0, 300))
        payloads.append(struct.pack(">i", len(body)) + body)
    results = exchange_many(broker, payloads)
    check_answers(results)
    assert_clients_still_work(broker, "interop-after-garbage")


def test_oversized_and_negative_length_prefixes(broker):
    before = memory_kib(broker)
    prefixes = [0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0x40000000, 0x10000000, 200 * 1024 * 1024, 0]
    payloads = [struct.pack(">I", n) + request_header(API_VERSIONS, 0, 9) for n in prefixes]
    results = exchange_many(broker, payloads, wait=3.0)
    # Keep feeding one 2 GiB frame for a while: the broker must not buffer towards 2 GiB.
    with connect(broker) as s:
        try:
            s.sendall(struct.pack(">I", 0x7FFFFFFF) + request_header(0, 9, 10))
            chunk = b"\x00" * 65536
            deadline = time.monotonic() + 5
            sent = 0
            while sent < 64 * 1024 * 1024 and time.monotonic() < deadline:
                s.sendall(chunk)
                sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError, socket.timeout):
            pass  # closing on us is the right answer
    broker.assert_alive("after a 2 GiB length prefix")
    after = memory_kib(broker)
    assert after - before < 48 * 1024, f"peak RSS grew from {before} KiB to {after} KiB on oversized frames"
    for payload, outcome, data in results:
        (n,) = struct.unpack_from(">I", payload)
        if n >= 0x10000000:
            assert outcome != "answered", f"broker answered a frame with length prefix {n:#x}: {data[:32]!r}"
    assert_clients_still_work(broker, "interop-after-oversized")


def test_truncated_requests(broker):
    _, supported = api_versions_v0(broker)
    rng = random.Random(SEED + 1)
    payloads = []
    for corr, key in enumerate(sorted(supported), start=100):
        lo, hi = supported[key]
        for version in {lo, hi}:
            header = request_header(key, version, corr, flexible=rng.random() < 0.5)
            body = rng.randbytes(rng.randint(8, 200))
            # A complete frame whose body is cut short (the length prefix matches what is sent) ...
            payloads.append(frame(header + body[: rng.randint(0, 6)]))
            # ... a frame whose length prefix promises more than arrives before we hang up ...
            payloads.append(struct.pack(">i", len(header) + len(body)) + header + body[: len(body) // 2])
            # ... and a header cut in the middle.
            payloads.append(struct.pack(">i", len(header) + len(body)) + header[: rng.randint(1, len(header) - 1)])
    # The smallest frames: shorter than a request header.
    payloads += [frame(b""), frame(b"\x00"), frame(b"\x00\x12"), frame(b"\x00\x12\x00\x00"), frame(b"\x00\x12\x00\x00\x00")]
    results = exchange_many(broker, payloads, wait=1.5)
    check_answers(results)
    assert_clients_still_work(broker, "interop-after-truncated")


def test_random_bodies_for_real_api_keys(broker):
    _, supported = api_versions_v0(broker)
    rng = random.Random(SEED + 2)
    payloads = []
    corr = 1000
    keys = sorted(supported) + [-1, 7777, 32767, max(supported) + 1]  # plus unknown api keys
    for key in keys:
        lo, hi = supported.get(key, (0, 3))
        versions = sorted({lo, hi, rng.randint(lo, hi), hi + 1})  # hi + 1: unsupported version
        for version in versions:
            for size in (0, rng.randint(1, 16), rng.randint(17, 600)):
                corr += 1
                header = request_header(key, version, corr, client_id=rng.choice([b"fuzz", None, b""]),
                                        flexible=rng.random() < 0.5)
                payloads.append(frame(header + rng.randbytes(size)))
    # Several requests pipelined on one connection, valid ones in between.
    pipelined = b""
    for i in range(20):
        corr += 1
        key = rng.choice(sorted(supported))
        pipelined += frame(request_header(key, supported[key][1], corr) + rng.randbytes(rng.randint(0, 64)))
        pipelined += frame(request_header(API_VERSIONS, 0, corr + 100000))
    payloads.append(pipelined)
    results = exchange_many(broker, payloads, wait=2.0)
    check_answers(results)
    assert_clients_still_work(broker, "interop-after-random-bodies")
