"""The dev broker's SASL and TLS listeners under hostile input.

On the SASL listeners: random and truncated SaslHandshake / SaslAuthenticate bodies (v0-v2, v2
flexible), valid headers with garbage after them, absurd length fields, SaslAuthenticate before
SaslHandshake, random PLAIN and SCRAM messages after a correct handshake (non-UTF-8, huge, empty,
full of commas and equals), random SCRAM client-final messages after a real client-first, repeated
handshakes, requests the broker must refuse before authentication. On the TLS listeners: garbage
bytes, truncated and garbled ClientHellos (captured from Python's ssl module), records with huge
length fields, and after a real TLS handshake random Kafka frames and random raw bytes.

For every input:
- the broker stays up and its memory stays bounded (VmRSS from /proc, against a baseline);
- it ends a bad connection by itself (EOF or reset), or, when the input is merely incomplete
  (a truncated frame or ClientHello is not wrong until the stream ends), once we end ours;
  a connection still open after a generous deadline fails the test and names the input;
- what it answers is well formed and in request order; before authentication it answers only
  ApiVersions, SaslHandshake and SaslAuthenticate; a failed SASL step is answered, then the
  connection is closed; no fuzzed message authenticates (while the control cases, sent the same
  way, must); no answer carries a password or a stored SCRAM key;
- meanwhile confluent-kafka clients on the PLAINTEXT listener and on SASL_SSL (SCRAM-SHA-512, the
  right password) keep producing and consuming without a single error;
- bad connections are logged, and nothing crashes.

Inputs come from a fixed seed (INTEROP_FUZZ_SEED overrides it, as in test_malformed_frames.py);
each case has its own generator derived from the seed and its name, and a failure names the seed,
the case and the first bytes sent. INTEROP_SASL_FUZZ_CASE=SUBSTRING runs only matching cases;
INTEROP_SASL_FUZZ_SCALE=N multiplies the number of random cases (1: about 8000 cases in all, ~20 s).

Broker bugs found this way (a 100 MiB frame buffered before authentication, an OAUTHBEARER exp that
overflowed, an unknown SCRAM user's salt that changed per connection) have their own tests at the
end.
"""

from __future__ import annotations

import base64
import functools
import json
import os
import random
import re
import secrets
import select
import socket
import ssl
import struct
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest
from confluent_kafka import Consumer, Producer, TopicPartition

import scram_vectors
from helpers import create_topic, run, wait_until
from test_malformed_frames import frame, request_header
from test_secured_kafka import (MAKE_TEST_CERTS, PASSWORDS, WRONG_PASSWORD, broker_users_add, client_properties,
                                start_broker, stop_broker)

SEED = int(os.environ.get("INTEROP_FUZZ_SEED", "20240611"))
SCALE = float(os.environ.get("INTEROP_SASL_FUZZ_SCALE", "1"))  # more (or fewer) random cases
ONLY = os.environ.get("INTEROP_SASL_FUZZ_CASE", "")

PRODUCE, FETCH, METADATA, LIST_GROUPS, SASL_HANDSHAKE, API_VERSIONS, CREATE_TOPICS, SASL_AUTHENTICATE = (
    0, 1, 3, 16, 17, 18, 19, 36)
SASL_KEYS = {SASL_HANDSHAKE, API_VERSIONS, SASL_AUTHENTICATE}
UNSUPPORTED_SASL_MECHANISM, ILLEGAL_SASL_STATE, SASL_AUTHENTICATION_FAILED = 33, 34, 58
MECHANISMS = ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"]
SCRAM_HASH_BYTES = {"SCRAM-SHA-256": 32, "SCRAM-SHA-512": 64}
MAX_FRAME = 100 * 1024 * 1024  # the broker's default --max-request-bytes
UNAUTHENTICATED_MAX = 512 * 1024  # its cap before SASL authentication (Kafka's sasl.server.max.receive.size)

# How long the broker may take to answer or close one connection. Generous: a passing run never
# waits for it (every wait ends on the event), it only bounds how long a hang takes to report.
DEADLINE_S = 30.0
WORKERS = 12  # connections in flight at once
# VmRSS after all cases may exceed the baseline by this much (the acceptance bound).
RSS_GROWTH_LIMIT_KIB = 200 * 1024

REPORT: list[str] = []  # numbers for the summary (printed with -s, attached to failures)


def report(line: str) -> None:
    REPORT.append(line)
    print(f"[sasl-fuzz] {line}", flush=True)


# ============================================================================= wire: requests


def kstring(value: bytes | None) -> bytes:
    return struct.pack(">h", -1) if value is None else struct.pack(">h", len(value)) + value


def kbytes(value: bytes | None) -> bytes:
    return struct.pack(">i", -1) if value is None else struct.pack(">i", len(value)) + value


def uvarint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def compact_bytes(value: bytes | None) -> bytes:
    return uvarint(0) if value is None else uvarint(len(value) + 1) + value


def as_bytes(value: bytes | str) -> bytes:
    return value.encode() if isinstance(value, str) else value


def handshake(mechanism: bytes | str, version: int = 1, corr: int = 1, client_id: bytes | None = b"sasl-fuzz") -> bytes:
    return frame(request_header(SASL_HANDSHAKE, version, corr, client_id) + kstring(as_bytes(mechanism)))


def authenticate_body(data: bytes | None, version: int) -> bytes:
    return compact_bytes(data) + b"\x00" if version >= 2 else kbytes(data)


def authenticate(data: bytes | str | None, version: int = 1, corr: int = 2,
                 client_id: bytes | None = b"sasl-fuzz") -> bytes:
    data = None if data is None else as_bytes(data)
    header = request_header(SASL_AUTHENTICATE, version, corr, client_id, flexible=version >= 2)
    return frame(header + authenticate_body(data, version))


def api_versions(version: int = 0, corr: int = 3) -> bytes:
    if version >= 3:
        body = compact_bytes(b"sasl-fuzz") + compact_bytes(b"1.0") + b"\x00"
        return frame(request_header(API_VERSIONS, version, corr, flexible=True) + body)
    return frame(request_header(API_VERSIONS, version, corr))


def metadata_v1(corr: int = 4) -> bytes:
    return frame(request_header(METADATA, 1, corr) + struct.pack(">i", -1))  # all topics


def refused_requests(corr: int) -> list[tuple[str, bytes]]:
    """Well-formed requests a SASL listener must refuse (close, no answer) before authentication."""
    topic = b"sasl-fuzz-must-not-exist"
    create = struct.pack(">i", 1) + kstring(topic) + struct.pack(">ihi", 1, 1, 0) + struct.pack(">i", 0) + \
        struct.pack(">i", 5000)  # CreateTopics v0: one topic, 1 partition, rf 1, no assignments/configs
    return [
        ("metadata-v1", metadata_v1(corr)),
        ("metadata-v4-autocreate", frame(request_header(METADATA, 4, corr) + struct.pack(">i", 1) + kstring(topic) + b"\x01")),
        ("list-groups-v0", frame(request_header(LIST_GROUPS, 0, corr))),
        ("create-topics-v0", frame(request_header(CREATE_TOPICS, 0, corr) + create)),
        ("produce-v3-empty", frame(request_header(PRODUCE, 3, corr) + kstring(None) + struct.pack(">hii", -1, 5000, 0))),
        ("fetch-v4-empty", frame(request_header(FETCH, 4, corr) + struct.pack(">iiiib", -1, 100, 1, 1024, 0) + struct.pack(">i", 0))),
    ]


@dataclass
class Request:
    key: int
    version: int
    corr: int
    body: bytes | None  # after the header; None when the header does not parse


def parse_request(data: bytes) -> Request | None:
    if len(data) < 8:
        return None
    key, version, corr = struct.unpack_from(">hhi", data, 0)
    try:
        r = Reader(data, 8)
        r.string()  # client id (a classic nullable string even in header v2)
        if (key == SASL_AUTHENTICATE and version >= 2) or (key == API_VERSIONS and version >= 3):
            r.tagged_fields()
        return Request(key, version, corr, data[r.pos:])
    except ValueError:
        return Request(key, version, corr, None)


def split_requests(stream: bytes) -> tuple[list[Request | None], str]:
    """The request frames in what a client sent, and how the stream ends: "complete" (whole
    frames), "incomplete" (a frame started and not finished) or "invalid" (a size the broker must
    refuse: negative or over --max-request-bytes)."""
    out, pos = [], 0
    while True:
        if len(stream) - pos < 4:
            return out, "complete" if pos == len(stream) else "incomplete"
        (size,) = struct.unpack_from(">i", stream, pos)
        if size < 0 or size > MAX_FRAME:
            return out, "invalid"
        if pos + 4 + size > len(stream):
            return out, "incomplete"
        out.append(parse_request(bytes(stream[pos + 4:pos + 4 + size])))
        pos += 4 + size


# ============================================================================= wire: responses


class Reader:
    def __init__(self, data: bytes, pos: int = 0):
        self.data, self.pos = data, pos

    def take(self, n: int) -> bytes:
        if n < 0 or self.pos + n > len(self.data):
            raise ValueError(f"need {n} bytes at {self.pos}, have {len(self.data) - self.pos}")
        out = self.data[self.pos:self.pos + n]
        self.pos += n
        return out

    def int(self, fmt: str) -> int:
        return struct.unpack(">" + fmt, self.take(struct.calcsize(fmt)))[0]

    def uvarint(self) -> int:
        result = shift = 0
        for _ in range(5):
            byte = self.take(1)[0]
            result |= (byte & 0x7F) << shift
            if not byte & 0x80:
                return result
            shift += 7
        raise ValueError("varint longer than 5 bytes")

    def string(self, compact: bool = False) -> bytes | None:
        n = self.uvarint() - 1 if compact else self.int("h")
        return None if n < 0 else self.take(n)

    def bytes_(self, compact: bool = False) -> bytes | None:
        n = self.uvarint() - 1 if compact else self.int("i")
        return None if n < 0 else self.take(n)

    def tagged_fields(self) -> None:
        for _ in range(self.uvarint()):
            self.uvarint()
            self.take(self.uvarint())

    def end(self) -> None:
        if self.pos != len(self.data):
            raise ValueError(f"{len(self.data) - self.pos} bytes left over")


def parse_handshake_response(data: bytes) -> tuple[int, list[str]]:
    r = Reader(data, 4)
    error = r.int("h")
    count = r.int("i")
    if not 0 <= count <= 16:
        raise ValueError(f"{count} mechanisms")
    mechanisms = [r.string().decode() for _ in range(count)]
    r.end()
    return error, mechanisms


def parse_authenticate_response(data: bytes, version: int) -> tuple[int, bytes | None, bytes | None, int | None]:
    flexible = version >= 2
    r = Reader(data, 4)
    if flexible:
        r.tagged_fields()  # response header v1
    error = r.int("h")
    message = r.string(flexible)
    auth = r.bytes_(flexible)
    lifetime = r.int("q") if version >= 1 else None
    if flexible:
        r.tagged_fields()
    r.end()
    return error, message, auth, lifetime


def response_frames(stream: bytes) -> tuple[list[bytes], bytes]:
    out, pos = [], 0
    while len(stream) - pos >= 4:
        (size,) = struct.unpack_from(">i", stream, pos)
        if size < 4 or pos + 4 + size > len(stream):
            break
        out.append(bytes(stream[pos + 4:pos + 4 + size]))
        pos += 4 + size
    return out, bytes(stream[pos:])


# The nonce is what the client sent plus the server's part (RFC 5802 wants printable ASCII; the broker
# passes on whatever UTF-8 the client sent, which is not checked here).
SERVER_FIRST = re.compile(rb"r=([^,]+),s=([A-Za-z0-9+/]+={0,2}),i=(\d+)", re.S)
SERVER_FINAL = re.compile(rb"v=([A-Za-z0-9+/]+={0,2})")


@dataclass
class Analysis:
    problems: list[str]
    answered: int
    authenticated: bool
    last_demands_close: bool  # the last answer was a failed SASL step: the broker must close now


def analyse(sent: bytes, received: bytes, sasl_listener: bool, ended: str | None) -> Analysis:
    """Checks the answers against the requests, as a Kafka broker must answer them."""
    requests, _ = split_requests(sent)
    frames, leftover = response_frames(received)
    problems: list[str] = []
    state = "pre" if sasl_listener else "open"  # pre -> mechanism chosen -> (scram first) -> open
    mechanism: str | None = None
    authenticated = demands_close = False
    for index, answer in enumerate(frames):
        if demands_close:
            problems.append(f"answer #{index} came after a failed SASL step (the connection should be closed)")
            break
        if index >= len(requests) or requests[index] is None:
            problems.append(f"answer #{index} ({answer[:24].hex()}) to no parseable request #{index}")
            break
        request = requests[index]
        (corr,) = struct.unpack_from(">i", answer, 0)
        if corr != request.corr:
            problems.append(f"answer #{index} has correlation id {corr}, request #{index} had {request.corr}")
            break
        if state not in ("open", "authenticated") and request.key not in SASL_KEYS:
            problems.append(f"api key {request.key} answered before authentication ({answer[:40].hex()})")
            break
        try:
            if request.key == SASL_HANDSHAKE:
                error, offered = parse_handshake_response(answer)
                if error == 0:
                    chosen = Reader(request.body or b"").string() or b""
                    if chosen.decode("utf-8", "replace").upper() not in offered:
                        problems.append(f"handshake for {chosen!r} accepted, offered {offered}")
                    if not sasl_listener:
                        problems.append("SaslHandshake accepted on a listener without SASL")
                    mechanism, state = chosen.decode().upper(), "chosen"
                elif sasl_listener:
                    if error not in (UNSUPPORTED_SASL_MECHANISM, ILLEGAL_SASL_STATE):
                        problems.append(f"SaslHandshake failed with error {error}")
                    demands_close = True
                elif error != ILLEGAL_SASL_STATE:
                    problems.append(f"SaslHandshake on a listener without SASL answered error {error}")
            elif request.key == SASL_AUTHENTICATE:
                error, message, auth, lifetime = parse_authenticate_response(answer, request.version)
                if error != 0:
                    if error not in (ILLEGAL_SASL_STATE, SASL_AUTHENTICATION_FAILED):
                        problems.append(f"SaslAuthenticate failed with error {error} ({message!r})")
                    if auth:
                        problems.append(f"a failed SaslAuthenticate carries auth bytes {auth[:40]!r}")
                    demands_close = True
                elif state == "chosen" and mechanism and mechanism.startswith("SCRAM"):
                    match = SERVER_FIRST.fullmatch(auth or b"")
                    sent_first = Reader(request.body or b"").bytes_(request.version >= 2) or b""
                    nonce = re.search(rb"(?:^|,)r=([^,]*)", sent_first.split(b",", 2)[-1])
                    if not match:
                        problems.append(f"server-first-message {auth[:80]!r} is malformed")
                    elif not nonce or not match.group(1).startswith(nonce.group(1)) or match.group(1) == nonce.group(1):
                        problems.append(f"server nonce {match.group(1)!r} does not extend the client's")
                    elif int(match.group(3)) < 4096:
                        problems.append(f"server-first-message asks for {match.group(3)} iterations")
                    state = "scram-first"
                elif state == "chosen" and mechanism == "OAUTHBEARER" and auth:
                    # RFC 7628 3.2.2 (as Kafka): a refused token gets an error challenge with error code 0;
                    # the client's next message (0x01) is then answered with the failure.
                    challenge = json.loads(auth)
                    if not isinstance(challenge, dict) or "status" not in challenge:
                        problems.append(f"OAUTHBEARER challenge {auth[:80]!r} is not an RFC 7628 error")
                    state = "oauth-challenged"
                elif state in ("chosen", "scram-first"):
                    if state == "scram-first":
                        match = SERVER_FINAL.fullmatch(auth or b"")
                        if not match or len(base64.b64decode(match.group(1))) != SCRAM_HASH_BYTES[mechanism]:
                            problems.append(f"server-final-message {auth[:100]!r} is malformed")
                    elif auth:
                        problems.append(f"{mechanism} success carries auth bytes {auth[:40]!r}")
                    if lifetime is not None and lifetime < 0:
                        problems.append(f"session lifetime {lifetime}")
                    state, authenticated = "authenticated", True
                else:
                    problems.append(f"SaslAuthenticate succeeded in state {state}")
            elif request.key == API_VERSIONS:
                Reader(answer, 4).int("h")
        except (ValueError, UnicodeDecodeError, KeyError) as e:  # json.JSONDecodeError is a ValueError
            problems.append(f"answer #{index} to api key {request.key} v{request.version} is malformed ({e}): "
                            f"{answer[:64].hex()}")
            break
    if leftover and ended == "eof":
        problems.append(f"the connection ended inside an answer ({len(leftover)} bytes: {leftover[:32].hex()})")
    return Analysis(problems, len(frames), authenticated, demands_close)


# ============================================================================= connections


class Conn:
    """One client connection, plain or TLS. TLS goes through ssl.MemoryBIO, so the test can also
    write raw bytes under the TLS layer; `sent` and `received` are the Kafka-level streams."""

    def __init__(self, port: int, tls: ssl.SSLContext | None = None, handshake_tls: bool = True):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=DEADLINE_S)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sent = bytearray()
        self.received = bytearray()
        self.raw_received = bytearray()
        self.ended: str | None = None  # "eof" / "reset" once the TCP connection is gone
        self.closed_by_broker = False  # the broker began closing (close_notify, FIN, RST) before we did
        self.close_notify_received = False
        self.answer_close_notify = True
        self.closing_seen = False
        self.fin_sent = False
        self.tls_error: str | None = None
        self.tls: ssl.SSLObject | None = None
        if tls is not None and handshake_tls:
            self.incoming, self.outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
            self.tls = tls.wrap_bio(self.incoming, self.outgoing, server_hostname="localhost")
            deadline = time.monotonic() + DEADLINE_S
            while True:
                try:
                    self.tls.do_handshake()
                    self._flush()
                    break
                except ssl.SSLWantReadError:
                    self._flush()
                    if not self.pump(deadline - time.monotonic(), decrypt=False):
                        raise ConnectionError(f"broker ended the connection during the TLS handshake ({self.ended})")
                    if time.monotonic() > deadline:
                        raise AssertionError("TLS handshake did not finish")

    def _end(self, how: str) -> None:
        if self.ended is None:
            self.ended = how
            self._closing()

    def _closing(self) -> None:
        """The first sign of the end (close_notify, FIN or RST): who began it?"""
        if not self.closing_seen:
            self.closing_seen = True
            self.closed_by_broker = not self.fin_sent

    def _flush(self) -> None:
        data = self.outgoing.read()
        if data and self.ended is None:
            self.raw_send(data)

    def raw_send(self, data: bytes) -> None:
        """Bytes straight onto the socket (under TLS, when there is TLS)."""
        if self.ended is not None:
            return
        try:
            self.sock.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            self._end("reset")

    def send(self, data: bytes) -> None:
        self.sent += data
        if self.tls is None:
            self.raw_send(data)
            return
        try:
            self.tls.write(data)
        except ssl.SSLError as e:
            self.tls_error = repr(e)
            return
        self._flush()

    def close_notify(self) -> None:
        try:
            self.tls.unwrap()
        except (ssl.SSLWantReadError, ssl.SSLError):
            pass
        if self.ended is None:
            self._flush()

    def pump(self, timeout: float, decrypt: bool = True) -> bool:
        """Reads what arrives within `timeout`; False once the broker's side has ended."""
        if self.ended is not None:
            return False
        readable, _, _ = select.select([self.sock], [], [], max(0.0, timeout))
        if not readable:
            return True
        try:
            data = self.sock.recv(1 << 18)
        except (ConnectionResetError, ConnectionAbortedError):
            self._end("reset")
            return False
        if not data:
            self._end("eof")
            if self.tls is not None:
                self.incoming.write_eof()
            return False
        self.raw_received += data
        if self.tls is None:
            self.received += data
        else:
            self.incoming.write(data)
            if decrypt:
                self._decrypt()
        return True

    def _decrypt(self) -> None:
        while self.tls_error is None:
            try:
                chunk = self.tls.read(1 << 18)
            except ssl.SSLWantReadError:
                break
            except ssl.SSLZeroReturnError:
                chunk = b""
            except ssl.SSLError as e:  # an alert from the broker: it is about to close
                self.tls_error = repr(e)
                break
            if not chunk:
                # close_notify: the broker is closing. It waits (5 s) for ours before it drops TCP;
                # a client answers at once, and so do we.
                if not self.close_notify_received:
                    self._closing()
                    self.close_notify_received = True
                    if self.answer_close_notify:
                        self.close_notify()
                break
            self.received += chunk
        if self.ended is None:
            try:
                self._flush()
            except OSError:
                pass

    def read_answer(self, deadline: float) -> bytes | None:
        """The next answer frame, or None when the connection ends first."""
        consumed = getattr(self, "_consumed", 0)
        while True:
            frames, _ = response_frames(self.received[consumed:])
            if frames:
                self._consumed = consumed + 4 + len(frames[0])
                return frames[0]
            if self.ended is not None or time.monotonic() > deadline:
                return None
            self.pump(min(0.5, deadline - time.monotonic()))

    def half_close(self) -> None:
        self.fin_sent = True
        if self.ended is None:
            try:
                self.sock.shutdown(socket.SHUT_WR)
            except OSError:
                self._end("reset")

    def wait_closed(self, deadline: float, what: str) -> None:
        """Until the TCP connection ends, or under TLS the broker's close_notify arrives (answered with
        ours, after which a client drops the socket: test_tls_teardown_after_close_notify checks that
        the broker lets go of it too)."""
        while self.ended is None and not self.close_notify_received:
            if time.monotonic() > deadline:
                raise AssertionError(f"connection still open after {DEADLINE_S:.0f}s: {what}")
            self.pump(min(0.5, deadline - time.monotonic()))

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass


# ============================================================================= cases


@dataclass
class Case:
    name: str
    listener: str
    script: Callable[[Conn, "Case"], None]
    # How the connection must end: "auto" (from the requests and answers), "broker" (it must
    # close on its own) or "fin" (the input is incomplete: it must close once we close).
    end: str = "auto"
    tls_handshake: bool = True  # on a TLS listener: complete a handshake before the script
    kafka_level: bool = True  # check the decrypted stream as Kafka requests and answers
    may_authenticate: bool = False
    must_authenticate: bool = False
    note: dict = field(default_factory=dict)

    @property
    def rng(self) -> random.Random:
        return random.Random(f"{SEED}/{self.name}")


def send_payload(payload: bytes):
    def script(conn: Conn, case: Case) -> None:
        conn.send(payload)
    script.payload = payload
    return script


def send_raw_payload(payload: bytes):
    def script(conn: Conn, case: Case) -> None:
        conn.raw_send(payload)
    script.payload = payload
    return script


@dataclass
class Target:
    """The broker under test and what the cases need to reach it."""
    ports: dict[str, int]
    tls: ssl.SSLContext
    secrets: list[bytes]


def run_case(target: Target, case: Case) -> str | None:
    """Runs one case; returns a failure description, or None."""
    sasl = case.listener.startswith("SASL")
    tls = target.tls if "SSL" in case.listener else None
    conn: Conn | None = None
    try:
        conn = Conn(target.ports[case.listener], tls if case.tls_handshake else None)
        case.script(conn, case)
        deadline = time.monotonic() + DEADLINE_S
        end = case.end
        if end == "auto":
            _, status = split_requests(conn.sent)
            if status == "incomplete" or conn.tls_error:
                end = "fin"
            elif status == "invalid":
                end = "broker"
            else:
                # Complete requests: wait until the broker closes, or has answered them all and the
                # session may stay open (then end ours, and it must follow).
                count = len(split_requests(conn.sent)[0])
                seen = -1
                while conn.ended is None and not conn.close_notify_received:
                    if len(conn.received) != seen:
                        seen = len(conn.received)
                        analysis = analyse(conn.sent, conn.received, sasl, ended=None)
                        if analysis.answered >= count and not analysis.last_demands_close:
                            break
                    if time.monotonic() > deadline:
                        raise AssertionError(
                            f"connection neither closed nor answered: {analysis.answered} of {count} requests answered"
                            + (" and the last was a failed SASL step" if analysis.last_demands_close else ""))
                    conn.pump(min(0.5, deadline - time.monotonic()))
                end = "fin"
        if end == "fin":
            conn.half_close()
            conn.wait_closed(deadline, "after we closed our side")
        else:
            conn.wait_closed(deadline, "the broker should have closed it on its own")
        problems = []
        raw = bytes(conn.raw_received) + bytes(conn.received)
        for secret in target.secrets:
            if secret in raw:
                problems.append(f"the answer contains a secret ({secret[:4]!r}...)")
        if case.kafka_level:
            analysis = analyse(conn.sent, conn.received, sasl, ended=conn.ended)
            problems += analysis.problems
            if analysis.authenticated and not case.may_authenticate:
                problems.append("AUTHENTICATED with a fuzzed message")
            if case.must_authenticate and not analysis.authenticated:
                problems.append("the control case did not authenticate")
            if analysis.last_demands_close and not conn.closed_by_broker:
                problems.append("a failed SASL step was answered but the broker did not close the connection")
            count_outcome(f"{analysis.answered} answered" if analysis.answered < 3 else "3+ answered")
            if analysis.authenticated:
                count_outcome("authenticated")
        count_outcome("closed by the broker" if conn.closed_by_broker else "closed after our FIN")
        return "; ".join(problems) or None
    except AssertionError as e:
        return str(e)
    except Exception as e:  # noqa: BLE001 - reported with the case
        return f"{type(e).__name__}: {e}"
    finally:
        if conn is not None:
            conn.close()


OUTCOMES: dict[str, int] = {}
_outcomes_lock = threading.Lock()


def count_outcome(what: str) -> None:
    with _outcomes_lock:
        OUTCOMES[what] = OUTCOMES.get(what, 0) + 1


def describe(case: Case) -> str:
    payload = getattr(case.script, "payload", None)
    shown = f", sent {payload[:48].hex()}{'...' if len(payload) > 48 else ''} ({len(payload)} bytes)" if payload else ""
    return f"{case.name} on {case.listener}{shown}"


def run_cases(target: Target, broker, cases: list[Case], workers: int = WORKERS) -> list[str]:
    """Runs cases `workers` at a time; returns failure descriptions (the seed, case and input)."""
    cases = [c for c in cases if ONLY in c.name]
    failures: list[str] = []
    lock = threading.Lock()
    done = [0]

    def one(case: Case) -> None:
        failure = run_case(target, case)
        with lock:
            done[0] += 1
            if failure:
                failures.append(f"{describe(case)}: {failure}")
        if failure and not broker.running():
            raise AssertionError(f"the broker died during {describe(case)} (seed {SEED})")

    with ThreadPoolExecutor(workers) as pool:
        for future in [pool.submit(one, case) for case in cases]:
            future.result()
    broker.assert_alive(f"after {len(cases)} cases (seed {SEED})")
    return failures


def assert_no_failures(failures: list[str], what: str) -> None:
    if failures:
        shown = "\n  ".join(failures[:15])
        raise AssertionError(f"{len(failures)} {what} cases failed (seed {SEED}; INTEROP_FUZZ_SEED={SEED} replays), "
                             f"first ones:\n  {shown}")


# ============================================================================= SCRAM client


@functools.lru_cache(maxsize=32)
def salted(password: str, salt: bytes, iterations: int, algorithm: str) -> bytes:
    return scram_vectors.salted_password(password, salt, iterations, algorithm)


def scram_final(mechanism: str, password: str, client_first_bare: bytes, server_first: bytes,
                gs2: bytes = b"n,,", nonce: bytes | None = None) -> tuple[bytes, bytes, bytes]:
    """(client-final without proof, proof, server signature) for a server-first-message."""
    match = SERVER_FIRST.fullmatch(server_first)
    salt, iterations = base64.b64decode(match.group(2)), int(match.group(3))
    key = salted(password, salt, iterations, mechanism)
    client_key = scram_vectors._hmac(mechanism, key, b"Client Key")
    stored_key = scram_vectors._hash(mechanism, client_key)
    server_key = scram_vectors._hmac(mechanism, key, b"Server Key")
    without_proof = b"c=" + base64.b64encode(gs2) + b",r=" + (nonce or match.group(1))
    auth_message = client_first_bare + b"," + server_first + b"," + without_proof
    signature = scram_vectors._hmac(mechanism, stored_key, auth_message)
    proof = bytes(a ^ b for a, b in zip(client_key, signature))
    return without_proof, proof, scram_vectors._hmac(mechanism, server_key, auth_message)


def scram_start(conn: Conn, mechanism: str, version: int, client_first: bytes) -> bytes | None:
    """Handshake and client-first-message; the server-first-message, or None if refused."""
    conn.send(handshake(mechanism, 1, corr=1) + authenticate(client_first, version, corr=2))
    deadline = time.monotonic() + DEADLINE_S
    if conn.read_answer(deadline) is None:
        return None
    answer = conn.read_answer(deadline)
    if answer is None:
        return None
    error, _, auth, _ = parse_authenticate_response(answer, version)
    return auth if error == 0 else None


# ============================================================================= generators: SASL


def random_text(rng: random.Random, n: int) -> bytes:
    alphabet = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789=,=,=,\x00 +/\xff\xc3\xa9"
    return bytes(rng.choice(alphabet) for _ in range(n))


def random_message(rng: random.Random, huge: bool = True) -> bytes:
    """A SASL message from a hostile client: random, non-UTF-8, empty, huge, full of commas and equals."""
    if huge and rng.random() < 0.04:
        # Under 512 KiB a request before authentication is parsed; over it, refused by its size alone.
        size = rng.randint(256 << 10, UNAUTHENTICATED_MAX - 256) if rng.random() < 0.6 else rng.randint(1 << 20, 3 << 20)
        return (b"A" if rng.random() < 0.5 else rng.randbytes(1)) * size
    kind = rng.randrange(9)
    if kind == 0:
        return b""
    if kind == 1:
        return rng.randbytes(rng.randint(1, 64))
    if kind == 2:
        return rng.randbytes(rng.randint(64, 4096))
    if kind == 3:
        return random_text(rng, rng.randint(1, 300))
    if kind == 4:
        return b",".join(b"=" * rng.randint(0, 3) for _ in range(rng.randint(1, 200)))
    if kind == 5:
        return b"\x00" * rng.randint(1, 50)
    if kind == 6:
        return bytes([rng.choice([0xC0, 0xC1, 0xF5, 0xFF, 0xED, 0x80])]) + rng.randbytes(rng.randint(0, 40))
    if kind == 7:
        return "é漢🙂=,".encode() * rng.randint(1, 50)
    return rng.choice([b"n,,", b"n,,n=,r=", b"=", b",", b"\x00\x00", b"c=biws", b"y,,n=alice,r=a", b"p=,"])


def sasl_cases(listener: str, scale: float = 1.0) -> list[Case]:
    """Cases for a SASL listener; `scale` thins the random ones (for SASL_SSL)."""
    rng = random.Random(f"{SEED}/sasl/{listener}")
    alice, bob = PASSWORDS["alice"].encode(), PASSWORDS["bob"].encode()
    cases: list[Case] = []

    def add(name: str, payload: bytes, **kw) -> None:
        cases.append(Case(f"{name}#{len(cases)}", listener, send_payload(payload), **kw))

    def n(count: int) -> int:
        return max(1, int(count * scale * SCALE))

    # -- random bodies under valid headers (v0-v2; SaslAuthenticate v2 and ApiVersions v3 flexible).
    for key, version in [(17, 0), (17, 1), (36, 0), (36, 1), (36, 2), (18, 0), (18, 3)]:
        flexible = (key == 36 and version >= 2) or (key == 18 and version >= 3)
        for i in range(n(80)):
            body = rng.randbytes(rng.choice([0, 1, 2, 3, 4, rng.randint(5, 40), rng.randint(41, 400)]))
            mismatch = rng.random() < 0.15
            client_id = rng.choice([b"sasl-fuzz", None, b"", rng.randbytes(rng.randint(1, 20))])
            header = request_header(key, version, 7, client_id, flexible=flexible != mismatch)
            prefix = handshake(rng.choice(MECHANISMS), corr=6) if key == 36 and rng.random() < 0.5 else b""
            add(f"random-body-{key}v{version}", prefix + frame(header + body))
    # -- unsupported versions of the SASL APIs, valid-looking bodies.
    for key, version in [(17, 2), (17, -1), (36, 3), (36, 99), (36, -1)]:
        add(f"unsupported-version-{key}v{version}", frame(request_header(key, version, 5, flexible=version >= 2) +
                                                         kstring(b"PLAIN")))

    # -- truncated bodies: a valid body cut at every length (the frame size matches what is sent).
    plain_message = b"\x00alice\x00" + alice
    client_first = b"n,,n=alice,r=fyko+d2lbbFgONRv9qkxdawL"
    valid_bodies = [(SASL_HANDSHAKE, v, kstring(m.encode())) for v in (0, 1) for m in MECHANISMS]
    valid_bodies += [(SASL_AUTHENTICATE, v, authenticate_body(m, v)) for v in (0, 1, 2)
                     for m in (plain_message, client_first)]
    valid_bodies.append((API_VERSIONS, 3, compact_bytes(b"sasl-fuzz") + compact_bytes(b"1.0") + b"\x00"))
    for key, version, body in valid_bodies:
        flexible = (key == 36 and version >= 2) or key == 18
        header = request_header(key, version, 9, flexible=flexible)
        mechanism = "PLAIN" if plain_message in body else "SCRAM-SHA-256"
        for cut in range(len(body)):
            prefix = handshake(mechanism, corr=8) if key == 36 and cut % 2 else b""
            add(f"truncated-body-{key}v{version}", prefix + frame(header + body[:cut]))
    # -- truncated frames: the size promises more than arrives before we hang up.
    for payload in [handshake("SCRAM-SHA-512") + authenticate(client_first, 2),
                    handshake("PLAIN", 0) + authenticate(plain_message, 0)]:
        for cut in range(1, len(payload)):
            if cut % max(1, int(1 / scale)) == 0:
                add("truncated-frame", payload[:cut])
    # -- frames too small to hold a request header.
    for size in range(0, 10):
        add("short-frame", frame(struct.pack(">hh", SASL_HANDSHAKE, 1)[:size] + bytes(max(0, size - 4))))

    # -- valid header and body, then garbage in the same frame, or as the next frame.
    for i in range(n(80)):
        garbage = rng.randbytes(rng.randint(1, 64))
        mechanism = rng.choice(MECHANISMS + ["plain", "GSSAPI", "SCRAM-SHA-1", ""])
        add("trailing-garbage-handshake", frame(request_header(SASL_HANDSHAKE, 1, 1) + kstring(mechanism.encode()) + garbage))
        add("garbage-after-handshake", handshake(mechanism) + garbage)
        version = rng.choice([0, 1, 2])
        add("trailing-garbage-authenticate", handshake("PLAIN") + frame(
            request_header(SASL_AUTHENTICATE, version, 2, flexible=version >= 2) +
            authenticate_body(plain_message, version) + garbage), may_authenticate=True)

    # -- absurd length fields inside bodies and headers.
    absurd = {
        "handshake-len-32767": frame(request_header(17, 1, 1) + struct.pack(">h", 32767) + b"PLAIN"),
        "handshake-len-minus-1": frame(request_header(17, 1, 1) + struct.pack(">h", -1)),
        "handshake-len-minus-2": frame(request_header(17, 1, 1) + struct.pack(">h", -2) + b"PLAIN"),
        "handshake-len-minus-32768": frame(request_header(17, 0, 1) + struct.pack(">h", -32768)),
        "handshake-len-0": frame(request_header(17, 1, 1) + struct.pack(">h", 0)),
        "handshake-no-body": frame(request_header(17, 1, 1)),
        "client-id-len-32767": frame(struct.pack(">hhih", 17, 1, 1, 32767) + b"x" * 10 + kstring(b"PLAIN")),
        "client-id-len-minus-2": frame(struct.pack(">hhih", 17, 1, 1, -2) + kstring(b"PLAIN")),
        "client-id-not-utf8": frame(struct.pack(">hhih", 17, 1, 1, 2) + b"\xff\xfe" + kstring(b"PLAIN")),
        "mechanism-not-utf8": frame(request_header(17, 1, 1) + kstring(b"PL\xffIN")),
        "mechanism-nul": frame(request_header(17, 1, 1) + kstring(b"PLAIN\x00")),
        "mechanism-32k": frame(request_header(17, 1, 1) + kstring(b"P" * 32767)),
        "header-tagged-count-huge": frame(struct.pack(">hhi", 36, 2, 2) + kstring(b"x") + uvarint(0xFFFFFFFF) + compact_bytes(b"")),
        "header-tagged-size-huge": frame(struct.pack(">hhi", 36, 2, 2) + kstring(b"x") + b"\x01\x00" + uvarint(0xFFFFFFF0)),
        "api-versions-v3-len-huge": frame(request_header(18, 3, 3, flexible=True) + uvarint(0xFFFFFFFF) + b"x"),
        "api-versions-v3-varint-long": frame(request_header(18, 3, 3, flexible=True) + b"\xff" * 6 + b"\x01"),
    }
    for version in (0, 1):
        absurd |= {
            f"auth-v{version}-len-max": frame(request_header(36, version, 2) + struct.pack(">i", 0x7FFFFFFF) + b"\x00alice\x00x"),
            f"auth-v{version}-len-minus-1": frame(request_header(36, version, 2) + struct.pack(">i", -1)),
            f"auth-v{version}-len-minus-2": frame(request_header(36, version, 2) + struct.pack(">i", -2) + b"abc"),
            f"auth-v{version}-len-min": frame(request_header(36, version, 2) + struct.pack(">i", -0x80000000)),
            f"auth-v{version}-len-1000-of-10": frame(request_header(36, version, 2) + struct.pack(">i", 1000) + b"\x00alice\x00pw"),
            f"auth-v{version}-len-0": frame(request_header(36, version, 2) + struct.pack(">i", 0)),
            f"auth-v{version}-len-short-header": frame(request_header(36, version, 2) + b"\x00\x00"),
        }
    v2 = request_header(36, 2, 2, flexible=True)
    absurd |= {
        "auth-v2-null": frame(v2 + b"\x00" + b"\x00"),
        "auth-v2-len-2^32-2": frame(v2 + uvarint(0xFFFFFFFF) + b"\x00alice\x00x" + b"\x00"),
        "auth-v2-varint-6-bytes": frame(v2 + b"\xff\xff\xff\xff\xff\x01" + b"\x00"),
        "auth-v2-varint-overflow": frame(v2 + b"\x80\x80\x80\x80\x7f" + b"\x00"),
        "auth-v2-varint-cut": frame(v2 + b"\x80"),
        "auth-v2-no-tagged-fields": frame(v2 + compact_bytes(b"\x00alice\x00x")),
        "auth-v2-tagged-count-huge": frame(v2 + compact_bytes(b"\x00alice\x00x") + uvarint(0xFFFFFFFF)),
        "auth-v2-tagged-size-huge": frame(v2 + compact_bytes(b"\x00alice\x00x") + b"\x01\x05" + uvarint(0x7FFFFFFF)),
        "auth-v2-tagged-out-of-order": frame(v2 + compact_bytes(b"\x00alice\x00x") + b"\x02\x05\x00\x01\x00"),
        "auth-v2-tagged-1000": frame(v2 + compact_bytes(b"\x00alice\x00x") + uvarint(1000) + b"\x00\x00" * 3),
        "auth-v2-len-1000-of-10": frame(v2 + uvarint(1001) + b"\x00alice\x00pw\x00"),
    }
    for name, payload in absurd.items():
        add(f"absurd-{name}", payload)
        if name.startswith("auth"):
            add(f"absurd-after-handshake-{name}", handshake("PLAIN") + payload)
            add(f"absurd-after-scram-handshake-{name}", handshake("SCRAM-SHA-256") + payload)

    # -- SaslAuthenticate before SaslHandshake: ILLEGAL_SASL_STATE, then closed.
    for version in (0, 1, 2):
        for message in [plain_message, b"alice\x00alice\x00" + alice, client_first, b"", random_message(rng, huge=False)]:
            add(f"authenticate-first-v{version}", authenticate(message, version, corr=1) + metadata_v1(2))
    # -- a correct handshake, then random PLAIN messages (and a request that must go unanswered).
    plain_variants = [
        b"bob\x00alice\x00" + alice,  # acting as another user
        b"\x00alice\x00" + alice + b"\x00",  # four fields
        b"\x00alice\x00" + alice + b"x",
        b"\x00alice\x00" + alice[:-1],
        b"\x00Alice\x00" + alice,
        b"\x00alice \x00" + alice,
        b"\x00\x00" + alice,  # no user
        b"\x00alice\x00",  # no password
        b"\x00alice\x00" + bob,  # bob's password
        b"\x00bob\x00" + alice,
        b"\x00mallory\x00" + alice,
        b"\x00al\xc3\xadce\x00" + alice,
        b"\x00\xc1\xa1lice\x00" + alice,  # overlong UTF-8 'a'
        b"\x00alice\x00" + alice + b"\xff",
        b"\xff\x00alice\x00" + alice,
        b"\x00alice\x00" + WRONG_PASSWORD.encode(),
        b"\x00alice\x00" + alice.upper(),
        b"\x00alice" + alice,
        b"alice\x00" + alice,
        b"\x00alice\x00" + b"\x00" * 8,
        b"\x00alice\x00" + b"A" * (400 << 10),  # 400 KiB password
        b"\x00" + b"a" * (400 << 10) + b"\x00" + alice,  # 400 KiB user name
        b"\x00alice\x00" + b"A" * (2 << 20),  # 2 MiB: over the cap before authentication
        b"\x00a=b,c\x00d=e,f",
    ]
    for i in range(n(500)):
        version = rng.choice([0, 1, 2])
        if i < len(plain_variants):
            message = plain_variants[i]
        elif rng.random() < 0.5:
            message = random_message(rng)
        else:
            parts = [rng.choice([b"", b"alice", random_text(rng, rng.randint(1, 30)), rng.randbytes(8), alice])
                     for _ in range(rng.choice([1, 2, 3, 3, 3, 4]))]
            message = b"\x00".join(parts)
            if parts[-1] == alice and message in (b"\x00alice\x00" + alice, b"alice\x00alice\x00" + alice):
                message += b"!"  # only the control cases may log in
        add(f"plain-random-v{version}", handshake(rng.choice(["PLAIN", "plain"]), rng.choice([0, 1])) +
            authenticate(message, version) + metadata_v1(3))
    # -- a correct handshake, then random SCRAM client-first messages (and a random client-final).
    first_variants = [
        b"n,,n=alice,r=", b"n,,n=,r=abc", b"n,,r=abc", b"n,,n=alice", b"n,,n=alice,r=abc,", b"n,,,n=alice,r=abc",
        b"p=tls-unique,,n=alice,r=abc", b"y,,n=alice,r=abc", b"x,,n=alice,r=abc", b"n,a=bob,n=alice,r=abc",
        b"n,,n=al=2Cice,r=abc", b"n,,n=al=3Dice,r=abc", b"n,,n=al=2cice,r=abc", b"n,,n=alice=,r=abc",
        b"n,,n=alice=2,r=abc", b"n,,n=alice=ZZ,r=abc", b"n,,n=alice,r=abc,m=mandatory", b"n,,m=x,n=alice,r=abc",
        b"n,,r=abc,n=alice", b"n,,n=alice,n=bob,r=abc", b"n,,n=alice,r=a,r=b", b"n,,n=\xff\xfe,r=abc",
        b"n,,n=alice,r=\xff\xfe", b"n,,n=alice,r=" + b"x" * (400 << 10), b"n,,n=" + b"y" * (400 << 10) + b",r=abc",
        b"n,,n=alice,r=" + b"x" * (2 << 20),
        b"n,,n=alice,r=abc\x00def", b"n,,1=alice,r=abc", b"n,,n=alice,r=abc,==", b"n,,n=alice,r=abc,x",
        b"n,,n=\xc3\xa9\xe6\xbc\xa2\xf0\x9f\x99\x82,r=abc",
    ]
    for i in range(n(500)):
        version, mechanism = rng.choice([0, 1, 2]), rng.choice(["SCRAM-SHA-256", "SCRAM-SHA-512"])
        if i < len(first_variants):
            message = first_variants[i]
        elif rng.random() < 0.4:
            message = random_message(rng)
        else:
            message = (rng.choice([b"n", b"y", b"p=x", b""]) + b"," + rng.choice([b"", b"a=alice"]) + b"," +
                       b",".join(rng.choice([b"n=", b"r=", b"m=", b"c=", b"", b"=", b"n=alice", b"r=" + random_text(rng, 8)])
                                 + random_text(rng, rng.randint(0, 12)) for _ in range(rng.randint(0, 5))))
        final = random_message(rng, huge=False)
        add(f"scram-first-random-v{version}", handshake(mechanism) + authenticate(message, version) +
            authenticate(final, version, corr=3) + metadata_v1(4))

    # -- SCRAM: a real client-first, then a random (or subtly wrong) client-final.
    def scram_final_case(kind: str, mechanism: str, version: int, user: str, password: str):
        def script(conn: Conn, case: Case) -> None:
            r = case.rng
            nonce = base64.b64encode(r.randbytes(18))
            bare = b"n=" + scram_vectors.escape_username(user).encode() + b",r=" + nonce
            server_first = scram_start(conn, mechanism, version, b"n,," + bare)
            if server_first is None:
                raise AssertionError(f"no server-first-message for {user} {mechanism}")
            combined = SERVER_FIRST.fullmatch(server_first).group(1)
            without_proof, proof, signature = scram_final(mechanism, password, bare, server_first)
            b64 = base64.b64encode
            message = {
                "valid": lambda: without_proof + b",p=" + b64(proof),
                "proof-bit-flipped": lambda: without_proof + b",p=" + b64(flip(r, proof)),
                "proof-truncated": lambda: without_proof + b",p=" + b64(proof[:-1]),
                "proof-extended": lambda: without_proof + b",p=" + b64(proof + b"\x00"),
                "proof-empty": lambda: without_proof + b",p=",
                "proof-not-base64": lambda: without_proof + b",p=" + b64(proof)[:-3] + b"!!!",
                "proof-missing": lambda: without_proof,
                "proof-first": lambda: b"p=" + b64(proof) + b"," + without_proof,
                "proof-twice": lambda: without_proof + b",p=" + b64(proof) + b",p=" + b64(proof),
                "extra-attribute": lambda: without_proof + b",x=1,p=" + b64(proof),
                "trailing-attribute": lambda: without_proof + b",p=" + b64(proof) + b",x=1",
                "client-nonce-only": lambda: b"c=biws,r=" + nonce + b",p=" + b64(proof),
                "nonce-changed": lambda: b"c=biws,r=" + combined[:-1] + (b"B" if combined.endswith(b"A") else b"A") +
                                         b",p=" + b64(proof),
                "nonce-missing": lambda: b"c=biws,p=" + b64(proof),
                "binding-y": lambda: b"c=eSws,r=" + combined + b",p=" + b64(proof),
                "binding-random": lambda: b"c=" + b64(r.randbytes(6)) + b",r=" + combined + b",p=" + b64(proof),
                "binding-not-base64": lambda: b"c=%%%,r=" + combined + b",p=" + b64(proof),
                "binding-missing": lambda: b"r=" + combined + b",p=" + b64(proof),
                "wrong-password": lambda: (lambda w, p, s: w + b",p=" + b64(p))(
                    *scram_final(mechanism, WRONG_PASSWORD, bare, server_first)),
                "other-users-password": lambda: (lambda w, p, s: w + b",p=" + b64(p))(
                    *scram_final(mechanism, PASSWORDS["bob"], bare, server_first)),
                "server-signature-as-proof": lambda: without_proof + b",p=" + b64(signature),
                # Foundation's base64 decoder takes any amount of trailing '=' (Kafka's does not):
                # the proof is still right, so this one may log in.
                "huge-padding": lambda: without_proof + b",p=" + b64(proof) + b"=" * (400 << 10),
                "huge-attribute": lambda: without_proof + b",p=" + b64(proof) + b",x=" + b"y" * (400 << 10),
                "huge-nonce": lambda: b"c=biws,r=" + combined + b"Z" * (400 << 10) + b",p=" + b64(proof),
                "over-the-cap": lambda: without_proof + b",p=" + b64(proof) + b"=" * UNAUTHENTICATED_MAX,
                "not-utf8": lambda: without_proof + b",p=" + b64(proof)[:-2] + b"\xff\xfe",
                "nul-inside": lambda: without_proof + b"\x00,p=" + b64(proof),
                "random": lambda: random_message(r),
                "commas-and-equals": lambda: b",".join(r.choice([b"=", b"c=", b"r=", b"p=", b"", b"=="]) for _ in range(r.randint(1, 400))),
            }[kind]()
            conn.send(authenticate(message, version, corr=3))
            if kind == "valid" and case.must_authenticate:
                answer = conn.read_answer(time.monotonic() + DEADLINE_S)
                error, _, auth, _ = parse_authenticate_response(answer, version)
                if error != 0 or auth != b"v=" + b64(signature):
                    raise AssertionError(f"valid client-final answered error {error}, {auth!r}")
                # Authenticated: another SaslAuthenticate is out of turn (closed), Metadata is served first.
                conn.send(metadata_v1(4) + authenticate(b"n,,n=alice,r=x", version, corr=5) + metadata_v1(6))
            else:
                conn.send(metadata_v1(4))
        return script

    kinds = ["proof-bit-flipped", "proof-truncated", "proof-extended", "proof-empty", "proof-not-base64",
             "proof-missing", "proof-first", "proof-twice", "extra-attribute", "trailing-attribute", "client-nonce-only",
             "nonce-changed", "nonce-missing", "binding-y", "binding-random", "binding-not-base64", "binding-missing",
             "wrong-password", "other-users-password", "server-signature-as-proof", "huge-padding", "huge-attribute", "huge-nonce", "over-the-cap", "not-utf8", "nul-inside"]
    for mechanism in ("SCRAM-SHA-256", "SCRAM-SHA-512"):
        for version in (0, 1, 2):
            cases.append(Case(f"scram-final-valid-{mechanism}-v{version}#{len(cases)}", listener,
                              scram_final_case("valid", mechanism, version, "alice", PASSWORDS["alice"]),
                              may_authenticate=True, must_authenticate=True))
            for kind in kinds:
                cases.append(Case(f"scram-final-{kind}-{mechanism}-v{version}#{len(cases)}", listener,
                                  scram_final_case(kind, mechanism, version, "alice", PASSWORDS["alice"]),
                                  may_authenticate=kind == "huge-padding"))
            cases.append(Case(f"scram-final-unknown-user-{mechanism}-v{version}#{len(cases)}", listener,
                              scram_final_case("valid", mechanism, version, "mallory", PASSWORDS["alice"])))
    for i in range(n(300)):
        mechanism, version = rng.choice(["SCRAM-SHA-256", "SCRAM-SHA-512"]), rng.choice([0, 1, 2])
        kind = rng.choice(["random", "commas-and-equals", "random", "proof-bit-flipped"])
        cases.append(Case(f"scram-final-{kind}-{mechanism}-v{version}#{len(cases)}", listener,
                          scram_final_case(kind, mechanism, version, "alice", PASSWORDS["alice"])))

    # -- repeated handshakes, and handshakes in every state.
    login = handshake("PLAIN", corr=1) + authenticate(b"\x00alice\x00" + alice, 1, corr=2)
    repeated = {
        "handshake-twice": handshake("PLAIN", corr=1) + handshake("PLAIN", corr=2) + metadata_v1(3),
        "handshake-then-other": handshake("PLAIN", corr=1) + handshake("SCRAM-SHA-256", corr=2),
        "handshake-x50": b"".join(handshake(rng.choice(MECHANISMS), corr=i) for i in range(1, 51)),
        "handshake-unknown-then-valid": handshake("GSSAPI", corr=1) + handshake("PLAIN", corr=2),
        "scram-first-then-handshake": handshake("SCRAM-SHA-512", corr=1) + authenticate(client_first, 1, corr=2) +
            handshake("SCRAM-SHA-512", corr=3),
        "scram-first-then-refused-api": handshake("SCRAM-SHA-512", corr=1) + authenticate(client_first, 1, corr=2) +
            metadata_v1(3),
        "handshake-then-refused-api": handshake("PLAIN", corr=1) + metadata_v1(2),
        "login-then-handshake-other-mechanism": login + handshake("SCRAM-SHA-256", corr=3) + metadata_v1(4),
        "login-then-reauth-as-bob": login + handshake("PLAIN", corr=3) + authenticate(b"\x00bob\x00" + bob, 1, corr=4)
            + metadata_v1(5),
        "login-then-reauth-wrong-password": login + handshake("PLAIN", corr=3) +
            authenticate(b"\x00alice\x00" + WRONG_PASSWORD.encode(), 2, corr=4) + metadata_v1(5),
        "login-then-authenticate-without-handshake": login + authenticate(b"\x00alice\x00" + alice, 1, corr=3),
        "login-then-handshake-twice": login + handshake("PLAIN", corr=3) + handshake("PLAIN", corr=4),
    }
    for name, payload in repeated.items():
        add(f"repeated-{name}", payload, may_authenticate=name.startswith("login"))
    # -- well-formed requests the broker must refuse before authentication.
    for name, payload in refused_requests(1):
        add(f"refused-{name}", payload)
        add(f"refused-after-handshake-{name}", handshake("PLAIN", corr=0) + payload)
        add(f"refused-after-failed-login-{name}", handshake("PLAIN", corr=0) +
            authenticate(b"\x00alice\x00" + WRONG_PASSWORD.encode(), 1, corr=0) + payload)
    # -- controls: the same path with the right credentials must log in and be served.
    for version in (0, 1, 2):
        for message in [b"\x00alice\x00" + alice, b"alice\x00alice\x00" + alice, b"\x00bob\x00" + bob]:
            add(f"control-plain-v{version}", handshake("PLAIN", rng.choice([0, 1]), corr=1) +
                authenticate(message, version, corr=2) + metadata_v1(3) + api_versions(0, corr=4),
                may_authenticate=True, must_authenticate=True)
        add(f"control-plain-reauth-v{version}", login + handshake("PLAIN", corr=3) +
            authenticate(b"\x00alice\x00" + alice, version, corr=4) + metadata_v1(5),
            may_authenticate=True, must_authenticate=True)
    add("control-api-versions-first", api_versions(3, corr=1) + api_versions(0, corr=2) +
        handshake("PLAIN", corr=3) + authenticate(b"\x00alice\x00" + alice, 2, corr=4) + metadata_v1(5),
        may_authenticate=True, must_authenticate=True)

    # -- random raw bytes and random pipelines of valid and random frames.
    for i in range(n(300)):
        add("raw-random", rng.randbytes(rng.choice([1, 3, 4, 7, rng.randint(8, 64), rng.randint(65, 4096)])))
    for i in range(n(150)):
        size = rng.randint(0, 200)
        add("raw-size-prefixed", struct.pack(">i", size) + rng.randbytes(rng.choice([size, rng.randint(0, size)])))
    for i in range(n(150)):
        pieces = []
        for corr in range(1, rng.randint(2, 8)):
            choice = rng.randrange(6)
            if choice == 0:
                pieces.append(handshake(rng.choice(MECHANISMS + ["x"]), rng.choice([0, 1]), corr))
            elif choice == 1:
                pieces.append(authenticate(random_message(rng, huge=False), rng.choice([0, 1, 2]), corr))
            elif choice == 2:
                pieces.append(api_versions(rng.choice([0, 1, 2, 3]), corr))
            elif choice == 3:
                pieces.append(frame(request_header(rng.choice([17, 36, 18]), rng.randint(0, 3), corr) +
                                    rng.randbytes(rng.randint(0, 50))))
            elif choice == 4:
                pieces.append(rng.choice(refused_requests(corr))[1])
            else:
                pieces.append(authenticate(b"\x00alice\x00" + alice + b"?", rng.choice([0, 1, 2]), corr))
        add("pipeline", b"".join(pieces))
    return cases


def flip(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    i = rng.randrange(len(out))
    out[i] ^= 1 << rng.randrange(8)
    return bytes(out)


# ============================================================================= generators: TLS


def client_hello(tls: ssl.SSLContext) -> bytes:
    """The ClientHello Python's ssl module sends to localhost (captured without a socket)."""
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    obj = tls.wrap_bio(incoming, outgoing, server_hostname="localhost")
    with pytest.raises(ssl.SSLWantReadError):
        obj.do_handshake()
    hello = outgoing.read()
    assert hello[:1] == b"\x16" and len(hello) > 100, hello[:16].hex()
    return hello


def tls_record(content_type: int, body: bytes, version: bytes = b"\x03\x03", length: int | None = None) -> bytes:
    return bytes([content_type]) + version + struct.pack(">H", len(body) if length is None else length) + body


def tls_cases(listener: str, hello: bytes, scale: float = 1.0) -> list[Case]:
    rng = random.Random(f"{SEED}/tls/{listener}")
    cases: list[Case] = []

    def add(name: str, script, end: str, handshake_first: bool, kafka_level: bool = False, **kw) -> None:
        cases.append(Case(f"{name}#{len(cases)}", listener, script, end=end, tls_handshake=handshake_first,
                          kafka_level=kafka_level, **kw))

    def n(count: int) -> int:
        return max(1, int(count * scale * SCALE))

    # -- before any handshake: things that are no TLS at all (the broker must hang up by itself).
    not_tls = {
        "kafka-api-versions": api_versions(0),
        "kafka-sasl-handshake": handshake("PLAIN"),
        "http": b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n",
        "sslv2-hello": b"\x80\x2e\x01\x00\x02\x00\x15\x00\x00\x00\x10" + bytes(21) + bytes(16),
        "record-type-0": tls_record(0, b"\x01\x02\x03"),
        "record-type-255": tls_record(255, b"\x01\x02\x03"),
        "record-version-9.9": tls_record(22, b"\x01\x00\x00\x00", b"\x09\x09"),
        "record-len-65535": tls_record(22, rng.randbytes(100), b"\x03\x01", 0xFFFF),
        "record-len-18433": tls_record(22, rng.randbytes(100), b"\x03\x01", 18433),
        "record-len-65535-full": tls_record(22, rng.randbytes(0xFFFF), b"\x03\x01"),
        "app-data-before-handshake": tls_record(23, rng.randbytes(64)),
        "alert-before-handshake": tls_record(21, b"\x02\x28"),
        "change-cipher-spec-first": tls_record(20, b"\x01"),
        "hello-then-huge-record": hello + tls_record(22, b"", length=0xFFFF),
        "hello-twice": hello + hello,
        "handshake-len-16M": tls_record(22, b"\x01\xff\xff\xff" + hello[9:200]),
        "zero-length-records": tls_record(22, b"") * 200,
        "nul-bytes": bytes(4096),
    }
    for name, payload in not_tls.items():
        add(f"not-tls-{name}", send_raw_payload(payload), "broker", False)
    for i in range(n(150)):
        add("garbage-before-handshake", send_raw_payload(rng.randbytes(rng.choice([1, 5, rng.randint(6, 300), 5000]))),
            "fin", False)
    # -- a real ClientHello, truncated at every length (the broker waits for the rest: fine, until we hang up).
    step = max(1, int(round(1 / scale)))
    for cut in range(0, len(hello), step):
        add("client-hello-truncated", send_raw_payload(hello[:cut]), "fin", False)
    # -- garbled ClientHellos: flipped bytes, dropped/inserted bytes, length fields rewritten.
    for i in range(n(400)):
        data = bytearray(hello)
        kind = rng.randrange(5)
        if kind == 0:
            for _ in range(rng.randint(1, 8)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        elif kind == 1:
            del data[rng.randrange(5, len(data)):][:rng.randint(1, 40)]
        elif kind == 2:
            at = rng.randrange(5, len(data))
            data[at:at] = rng.randbytes(rng.randint(1, 40))
        elif kind == 3:  # a length field inside the handshake message
            at = rng.choice([6, 7, 8, 43, 44, rng.randrange(45, len(data) - 2)])
            data[at:at + 2] = rng.choice([b"\xff\xff", b"\x00\x00", b"\x7f\xff", b"\x00\x01"])
        else:  # the ClientHello split into many small records (legal), one of them damaged
            body, pieces = bytes(data[5:]), []
            for start in range(0, len(body), 37):
                pieces.append(tls_record(22, body[start:start + 37], b"\x03\x01"))
            victim = rng.randrange(len(pieces))
            pieces[victim] = flip(rng, pieces[victim])
            data = bytearray(b"".join(pieces))
        add("client-hello-garbled", send_raw_payload(bytes(data)), "fin", False)
    # -- after a real handshake: random raw bytes and broken records under the TLS layer.
    for i in range(n(150)):
        add("after-handshake-raw-random", send_raw_payload(rng.randbytes(rng.randint(1, 3000))), "fin", True,
            kafka_level=True)
    for i in range(n(100)):
        content_type = rng.choice([20, 21, 22, 23, 23, 23, 24])
        body = rng.randbytes(rng.choice([0, 1, 16, 17, rng.randint(18, 2000), 16384 + 256]))
        add(f"after-handshake-bad-record-{content_type}", send_raw_payload(tls_record(content_type, body)), "broker", True,
            kafka_level=True)
    for length in (0xFFFF, 18433):  # over TLS's limit: refused on the header alone
        add(f"after-handshake-record-len-{length}", send_raw_payload(tls_record(23, rng.randbytes(64), length=length)),
            "broker", True, kafka_level=True)
    add("after-handshake-record-len-16641-cut", send_raw_payload(tls_record(23, rng.randbytes(64), length=16641)),
        "fin", True, kafka_level=True)
    add("after-handshake-plaintext-kafka", send_raw_payload(api_versions(0)), "broker", True, kafka_level=True)
    add("after-handshake-client-hello", send_raw_payload(hello), "broker", True, kafka_level=True)

    # -- after a real handshake: a valid Kafka frame whose record is then damaged in flight.
    def damaged(conn: Conn, case: Case) -> None:
        r = case.rng
        conn.tls.write(api_versions(0))
        record = bytearray(conn.outgoing.read())
        record[r.randrange(5, len(record))] ^= 0x40
        conn.raw_send(bytes(record))
    for i in range(n(20)):
        add("after-handshake-damaged-record", damaged, "broker", True)

    # -- after a real handshake: random Kafka-level frames, and a frame left half-sent with close_notify.
    sasl = listener.startswith("SASL")
    for i in range(n(200)):
        key = rng.choice([17, 36, 18] + ([] if sasl else [7777, 32767]) + ([0, 3, 19] if sasl else []))
        version = rng.randint(0, 3)
        body = rng.randbytes(rng.randint(0, 200))
        add(f"after-handshake-random-frame-{key}v{version}",
            send_payload(frame(request_header(key, version, 11, flexible=rng.random() < 0.5) + body)),
            "auto", True, kafka_level=True)
    for i in range(n(60)):
        add("after-handshake-random-stream",
            send_payload(bytes([rng.randint(7, 255)]) + rng.randbytes(rng.randint(3, 500))), "auto", True, kafka_level=True)

    def close_notify(conn: Conn, case: Case) -> None:
        payload = handshake("PLAIN") + authenticate(b"\x00alice\x00" + PASSWORDS["alice"].encode(), 1)
        conn.send(payload[:case.rng.randint(0, len(payload) - 1)])
        conn.close_notify()
    for i in range(n(15)):
        add("after-handshake-close-notify", close_notify, "broker", True)
    return cases


# ============================================================================= well-behaved clients


class Traffic:
    """A confluent-kafka producer and consumer on one listener, working in a thread while the
    fuzzing runs: every record must be delivered and read back in order, with no error at all."""

    def __init__(self, name: str, bootstrap: str, props: dict[str, str], topic: str):
        self.name, self.topic = name, topic
        self.conf = {"bootstrap.servers": bootstrap, **props}
        self.errors: list[str] = []
        self.failures: list[str] = []
        self.produced = 0
        self.delivered: list[int] = []
        self.consumed: list[bytes] = []
        self.latencies: list[float] = []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"traffic-{name}", daemon=True)
        self.crashed: BaseException | None = None

    def _error(self, err) -> None:
        self.errors.append(str(err))

    def _run(self) -> None:
        try:
            producer = Producer({**self.conf, "acks": "all", "linger.ms": 1, "error_cb": self._error})
            consumer = Consumer({**self.conf, "group.id": f"sasl-fuzz-{self.name}-{secrets.token_hex(4)}",
                                 "enable.auto.commit": False, "auto.offset.reset": "earliest",
                                 "fetch.wait.max.ms": 100, "error_cb": self._error})
            consumer.assign([TopicPartition(self.topic, 0, -2)])
            next_at = time.monotonic()
            while True:
                if not self.stopping.is_set() and time.monotonic() >= next_at:
                    sent_at, index = time.monotonic(), self.produced

                    def delivered(err, msg, sent_at=sent_at, index=index):
                        if err:
                            self.failures.append(f"record {index}: {err}")
                        else:
                            self.delivered.append(index)
                            self.latencies.append(time.monotonic() - sent_at)
                    producer.produce(self.topic, value=f"{self.name}-{index}".encode(), partition=0, on_delivery=delivered)
                    self.produced += 1
                    next_at = sent_at + 0.02
                producer.poll(0)
                for message in consumer.consume(num_messages=500, timeout=0.02):
                    if message.error():
                        self.errors.append(f"consume: {message.error()}")
                    else:
                        self.consumed.append(message.value())
                if self.stopping.is_set():
                    if producer.flush(0.1) == 0 and len(self.consumed) >= self.produced:
                        break
                    if time.monotonic() > self.stop_deadline:
                        self.failures.append(f"not all read back after stopping: {len(self.consumed)} of {self.produced}")
                        break
            consumer.close()
        except BaseException as e:  # noqa: BLE001 - reported by check()
            self.crashed = e

    def start(self) -> "Traffic":
        self.thread.start()
        wait_until(lambda: len(self.consumed) >= 5 or self.crashed or self.errors,
                   f"{self.name} traffic to get going", timeout=60,
                   detail=lambda: f"; errors {self.errors[:3]}, crashed {self.crashed!r}")
        return self

    def stop(self) -> None:
        self.stop_deadline = time.monotonic() + 60
        self.stopping.set()
        self.thread.join(90)

    def check(self) -> str:
        assert not self.thread.is_alive(), f"{self.name} traffic thread did not finish"
        assert self.crashed is None, f"{self.name} traffic failed: {self.crashed!r}"
        assert not self.errors, f"{self.name} client saw {len(self.errors)} errors, first: {self.errors[:5]}"
        assert not self.failures, f"{self.name}: {self.failures[:5]}"
        expected = [f"{self.name}-{i}".encode() for i in range(self.produced)]
        assert sorted(self.delivered) == list(range(self.produced)), f"{self.name}: deliveries missing"
        assert self.consumed == expected, (
            f"{self.name}: read back {len(self.consumed)} records, produced {self.produced}, in order: "
            f"{self.consumed[:len(expected)] == expected[:len(self.consumed)]}")
        worst = max(self.latencies) if self.latencies else 0.0
        return f"{self.name}: {self.produced} records produced and read back, worst delivery {worst * 1000:.0f} ms"


# ============================================================================= generators: OAUTHBEARER


def b64url_json(value) -> bytes:
    text = value if isinstance(value, (bytes, str)) else json.dumps(value)
    return base64.urlsafe_b64encode(as_bytes(text)).rstrip(b"=")


def unsecured_token(header, claims) -> bytes:
    return b64url_json(header) + b"." + b64url_json(claims) + b"."


def oauth_message(token: bytes, gs2: bytes = b"n,,", extensions: bytes = b"") -> bytes:
    return gs2 + b"\x01auth=Bearer " + token + b"\x01" + extensions + b"\x01"


def oauth_cases(listener: str, count: int) -> list[Case]:
    """Random OAUTHBEARER messages and unsecured JWTs (exp anywhere, including out of Int64's range in
    milliseconds: test_oauthbearer_exp_out_of_range_is_refused_not_a_crash)."""
    rng = random.Random(f"{SEED}/oauth/{listener}")
    now = time.time()
    values = [None, True, False, 0, -1, 1.5, "", "x", "none", "NONE", "None", "HS256", [], {}, [1, 2], {"a": 1},
              "é漢🙂", "a" * 5000, now + 3600, now - 3600, 1e15, -1e15, 9e15, -9e15, 1e16, -1e16, 1e300, -1e300, 1.7e308,
              253_402_300_799, 253_402_300_800, "1e20", 2 ** 53, 2 ** 64, "alice\u0000"]
    cases: list[Case] = []

    def valid(header, claims) -> bool:
        """Whether the dev broker (like Kafka's unsecured validator) accepts the token."""
        if not isinstance(header, dict) or not isinstance(claims, dict):
            return False
        alg, sub, exp = header.get("alg"), claims.get("sub"), claims.get("exp")
        # exp: seconds, a finite number before the year 10000 (the broker's bound) and in the future.
        return (isinstance(alg, str) and alg.lower() == "none" and isinstance(sub, str) and sub != ""
                and isinstance(exp, (int, float)) and not isinstance(exp, bool) and now + 60 < exp < 253_402_300_800)

    def add(name: str, message: bytes, ok: bool = False, must: bool = False) -> None:
        # A refused token is answered with an error challenge; the client then sends 0x01 (KIP-255) and
        # gets the failure. Controls go straight on to Metadata, which must be served.
        version = rng.choice([0, 1, 2])
        payload = handshake("OAUTHBEARER", rng.choice([0, 1]), corr=1) + authenticate(message, version, corr=2)
        payload += metadata_v1(3) if must else authenticate(b"\x01", version, corr=3) + metadata_v1(4)
        cases.append(Case(f"{name}#{len(cases)}", listener, send_payload(payload), may_authenticate=ok, must_authenticate=must))

    good = unsecured_token({"alg": "none"}, {"sub": "oauth-fuzz", "exp": now + 3600})
    for gs2 in (b"n,,", b"n,a=oauth-fuzz,"):
        add("oauth-control", oauth_message(good, gs2), ok=True, must=True)
    framing = {
        "no-gs2": b"\x01auth=Bearer " + good + b"\x01\x01",
        "gs2-y": oauth_message(good, b"y,,"),
        "no-terminators": b"n,,\x01auth=Bearer " + good,
        "lowercase-bearer": b"n,,\x01auth=bearer " + good + b"\x01\x01",
        "no-space": b"n,,\x01auth=Bearer" + good + b"\x01\x01",
        "no-auth": b"n,,\x01\x01",
        "empty-token": oauth_message(b""),
        "two-parts": oauth_message(good.rsplit(b".", 2)[0] + b"."),
        "four-parts": oauth_message(good + b"x."),
        "padded": oauth_message(b64url_json({"alg": "none"}) + b"==." + b64url_json({"sub": "x", "exp": now + 60})),
        "standard-base64": oauth_message(base64.b64encode(b'{"alg":"none"}??') + b"." + good.split(b".")[1] + b"."),
        "space-inside": oauth_message(good[:10] + b" " + good[10:]),
        "nul-inside": oauth_message(good[:10] + b"\x00" + good[10:]),
        "not-utf8": oauth_message(good[:10] + b"\xff" + good[10:]),
        "extensions": oauth_message(good, extensions=b"k=v\x01=\x01\x01\x01auth=x\x01"),
        "nested-600": oauth_message(b64url_json('{"alg":"none"}') + b"." +
                                    b64url_json('{"sub":"x","exp":1e12,"z":' + "[" * 600 + "]" * 600 + "}") + b"."),
        "nested-100000": oauth_message(b64url_json('{"alg":"none"}') + b"." +
                                       b64url_json('{"z":' + '{"a":' * 100000 + "1" + "}" * 100000 + "}") + b"."),
        "json-nan": oauth_message(b64url_json('{"alg":"none"}') + b"." + b64url_json('{"sub":"x","exp":NaN}') + b"."),
        "json-infinity": oauth_message(b64url_json('{"alg":"none"}') + b"." + b64url_json('{"sub":"x","exp":Infinity}') + b"."),
        "json-1e400": oauth_message(b64url_json('{"alg":"none"}') + b"." + b64url_json('{"sub":"x","exp":1e400}') + b"."),
        "json-duplicate-keys": oauth_message(b64url_json('{"alg":"HS256","alg":"none"}') + b"." +
                                             b64url_json('{"sub":"x","exp":1,"exp":1}') + b"."),
        "json-truncated": oauth_message(b64url_json('{"alg":"none"') + b"." + b64url_json('{"sub":') + b"."),
        "huge-token": oauth_message(b"A" * (2 << 20) + b"." + b"B" * 10 + b"."),
        "huge-subject": oauth_message(unsecured_token({"alg": "none"}, {"sub": "s" * (1 << 20), "exp": now - 10})),
    }
    for name, message in framing.items():
        # Lenient, unlike Kafka (whose parser wants the closing 0x01 0x01): a token without terminators logs in.
        add(f"oauth-{name}", message, ok=name in ("gs2-y", "extensions", "no-terminators"))
    for i in range(int(count * SCALE)):
        if rng.random() < 0.3:
            add("oauth-random", random_message(rng))
            continue
        header = {"alg": rng.choice(values + ["none"] * 8)} if rng.random() < 0.85 else rng.choice(values)
        claims = {}
        for key in ("sub", "exp", "iat", "scope"):
            if rng.random() < 0.85:
                claims[key] = rng.choice(values + ["oauth-fuzz"] * 3 + [now + 3600] * 3 if key != "exp" else
                                         values + [now + 3600] * 6)
        if rng.random() < 0.1:
            claims = rng.choice(values)
        token = unsecured_token(header, claims)
        if rng.random() < 0.2:
            token = flip(rng, token)
            add("oauth-token-flipped", oauth_message(token), ok=True)  # a flip may still leave a valid token
        else:
            add("oauth-token", oauth_message(token), ok=valid(header, claims))
    return cases


# ============================================================================= fixtures


@dataclass
class Env:
    secured: object  # test_secured_kafka.SecuredBroker
    certs: Path
    users: Path
    target: Target
    baseline: dict


def make_target(secured, certs: Path, users: Path) -> Target:
    tls = ssl.create_default_context(cafile=str(certs / "ca.pem"))
    stored = [PASSWORDS["alice"].encode(), PASSWORDS["bob"].encode(), WRONG_PASSWORD.encode()]
    for entry in json.loads(users.read_text())["users"].values():
        for credential in entry.values():
            for key in ("stored_key", "server_key"):
                stored += [base64.b64decode(credential[key]), credential[key].encode()]
    return Target({p: int(a.rsplit(":", 1)[1]) for p, a in secured.listeners.items()}, tls, stored)


def check_log(secured, what: str) -> None:
    log = secured.log()
    for bad in ("Fatal error", "Program crashed", "Illegal instruction"):
        assert bad not in log, f"the broker log has {bad!r} ({what})"


@pytest.fixture(scope="module")
def fuzz_env(tmp_path_factory):
    """Certificates, a users file (alice, bob) and a broker on all four protocols."""
    certs = tmp_path_factory.mktemp("fuzz-certs")
    run(["bash", str(MAKE_TEST_CERTS), str(certs)], timeout=60)
    users = tmp_path_factory.mktemp("fuzz-users") / "users.json"
    broker_users_add(users, "alice", PASSWORDS["alice"], via_file=users.parent / "alice.password")
    broker_users_add(users, "bob", PASSWORDS["bob"])
    secured = start_broker(tmp_path_factory.mktemp("fuzz-broker"), certs, users)
    yield Env(secured, certs, users, make_target(secured, certs, users), {})
    check_log(secured, "module broker")
    stop_broker(secured)  # also: no password in the log
    if REPORT:
        print("\n[sasl-fuzz] summary:\n  " + "\n  ".join(REPORT))


@pytest.fixture
def fuzz(request, fuzz_env) -> Env:
    request.node._kafkawire_broker = fuzz_env.secured.broker
    fuzz_env.secured.broker.assert_alive("at the start of the test")
    yield fuzz_env
    fuzz_env.secured.broker.assert_alive("at the end of the test")


def traffic(secured, certs, tag: str) -> list[Traffic]:
    """Producer/consumer pairs on the PLAINTEXT listener and, when there is one, on SASL_SSL."""
    clients = []
    for protocol, props in [("PLAINTEXT", {}),
                            ("SASL_SSL", client_properties(certs, "SASL_SSL", "SCRAM-SHA-512", user="alice"))]:
        if protocol in secured.listeners:
            topic = f"fuzz-{tag}-{protocol.lower()}"
            create_topic(secured.plaintext, topic, 1)
            clients.append(Traffic(f"{tag}-{protocol.lower()}", secured.address(protocol), props, topic).start())
    return clients


def rss(broker) -> tuple[int, int]:
    return broker.status_kib("VmRSS") or 0, broker.status_kib("VmHWM") or 0


def measured_run(env: Env, tag: str, cases: list[Case], what: str, target: Target | None = None,
                 secured=None) -> str:
    """Runs cases with traffic alongside, then checks the traffic, the memory and the log.
    Returns what the broker logged meanwhile."""
    secured = secured or env.secured
    broker = secured.broker
    clients = traffic(secured, env.certs, tag)
    baseline = env.baseline if secured is env.secured else {}
    if "rss" not in baseline:
        baseline["rss"] = rss(broker)[0]
        report(f"{what}: baseline VmRSS {baseline['rss']} KiB (broker up, clients connected)")
    log_before = len(secured.log())
    started = time.monotonic()
    OUTCOMES.clear()
    try:
        failures = run_cases(target or env.target, broker, cases)
    finally:
        for client in clients:
            client.stop()
    elapsed = time.monotonic() - started
    now, peak = rss(broker)
    report(f"{what}: {len([c for c in cases if ONLY in c.name])} cases in {elapsed:.1f}s; VmRSS {now} KiB "
           f"(baseline {baseline['rss']}, +{now - baseline['rss']}), VmHWM {peak} KiB")
    report(f"{what} outcomes: " + ", ".join(f"{k} {v}" for k, v in sorted(OUTCOMES.items())))
    for client in clients:
        report(client.check())
    assert_no_failures(failures, what)
    broker.assert_alive()
    assert now - baseline["rss"] < RSS_GROWTH_LIMIT_KIB, (
        f"VmRSS grew from {baseline['rss']} KiB to {now} KiB after {what} (limit +{RSS_GROWTH_LIMIT_KIB} KiB)")
    check_log(secured, what)
    return secured.log()[log_before:]


# ============================================================================= tests


@pytest.mark.timeout(300)
def test_sasl_listeners_survive_fuzzed_sasl_exchanges(fuzz):
    cases = sasl_cases("SASL_PLAINTEXT") + sasl_cases("SASL_SSL", scale=0.3)
    log = measured_run(fuzz, "sasl", cases, "SASL fuzz")
    # Every kind of ending is logged (and who authenticated, in the control cases).
    for line in ("Closing connection after a bad request", "Closing connection after a failed SASL exchange",
                 "Client authenticated", "Client re-authenticated"):
        assert line in log or ONLY, f"no {line!r} in the broker log"


@pytest.mark.timeout(300)
def test_tls_listeners_survive_garbage_records(fuzz):
    hello = client_hello(fuzz.target.tls)
    report(f"captured ClientHello: {len(hello)} bytes")
    cases = tls_cases("SSL", hello) + tls_cases("SASL_SSL", hello, scale=0.5)
    # A ClientHello on the listeners without TLS reads as a 369 MB frame: refused at once.
    for listener in ("PLAINTEXT", "SASL_PLAINTEXT"):
        cases.append(Case(f"client-hello-on-{listener}", listener, send_raw_payload(hello), end="broker",
                          kafka_level=False))
    log = measured_run(fuzz, "tls", cases, "TLS fuzz")
    assert "TLS handshake or record failed" in log or ONLY, "no TLS failure in the broker log"


@pytest.mark.timeout(300)
def test_oauthbearer_messages_do_not_crash_the_broker(fuzz, tmp_path):
    oauth = start_broker(tmp_path / "oauth", fuzz.certs, fuzz.users, ["PLAINTEXT", "SASL_PLAINTEXT"],
                         extra=["--sasl-mechanisms", "OAUTHBEARER,PLAIN"])
    try:
        target = make_target(oauth, fuzz.certs, fuzz.users)
        measured_run(fuzz, "oauth", oauth_cases("SASL_PLAINTEXT", 600), "OAUTHBEARER fuzz", target=target, secured=oauth)
    finally:
        stop_broker(oauth)


@pytest.mark.timeout(120)
def test_tls_teardown_after_close_notify(fuzz):
    """A TLS connection the broker ends starts with its close_notify; the fuzz cases stop there (as a
    client would). Here the TCP connection itself must go too, whether the client answers the
    close_notify or not, within the deadline. How long it lingers is reported."""
    bad = {
        "frame-too-large": struct.pack(">i", 0x7FFFFFFF) + b"xxxx",
        "negative-frame-size": struct.pack(">i", -5),
        "malformed-request": frame(request_header(SASL_HANDSHAKE, 1, 1) + b"\xff\xff"),
        "failed-sasl": handshake("NO-SUCH-MECHANISM"),
    }
    results: dict[str, str] = {}

    def one(listener: str, name: str, answer: bool) -> None:
        conn = Conn(fuzz.target.ports[listener], fuzz.target.tls)
        conn.answer_close_notify = answer
        try:
            started = time.monotonic()
            conn.send(bad[name])
            deadline = started + DEADLINE_S
            while not conn.close_notify_received and conn.ended is None:
                assert time.monotonic() < deadline, f"{listener} {name}: no close_notify and no FIN"
                conn.pump(0.5)
            first = time.monotonic() - started
            while conn.ended is None:
                assert time.monotonic() < deadline, (
                    f"{listener} {name}: the TCP connection is still open {DEADLINE_S:.0f}s after the close_notify "
                    f"({'answered' if answer else 'not answered'})")
                conn.pump(0.5)
            results[f"{listener} {name} ({'answered' if answer else 'unanswered'})"] = (
                f"close_notify/FIN after {first * 1000:.0f} ms, TCP {conn.ended} after "
                f"{(time.monotonic() - started) * 1000:.0f} ms")
        finally:
            conn.close()

    jobs = [(listener, name, answer) for listener in ("SSL", "SASL_SSL") for name in bad for answer in (True, False)
            if not (name == "failed-sasl" and listener == "SSL")]  # SaslHandshake on SSL: answered, stays open
    with ThreadPoolExecutor(len(jobs)) as pool:
        for future in [pool.submit(one, *job) for job in jobs]:
            future.result()
    for key in sorted(results):
        report(f"teardown {key}: {results[key]}")
    fuzz.secured.broker.assert_alive()


# ============================================================================= known broker bugs


def scram_server_first(port: int, user: bytes, mechanism: str = "SCRAM-SHA-256") -> tuple[bytes, int]:
    """(salt, iterations) the broker announces to `user` on a fresh connection."""
    conn = Conn(port)
    try:
        answer = scram_start(conn, mechanism, 1, b"n,,n=" + user + b",r=" + secrets.token_hex(8).encode())
        assert answer is not None, f"no server-first-message for {user!r}"
        match = SERVER_FIRST.fullmatch(answer)
        return base64.b64decode(match.group(2)), int(match.group(3))
    finally:
        conn.close()


@pytest.mark.timeout(60)
def test_scram_does_not_reveal_which_users_exist(fuzz):
    port = fuzz.target.ports["SASL_PLAINTEXT"]
    for mechanism in ("SCRAM-SHA-256", "SCRAM-SHA-512"):
        known = [scram_server_first(port, b"alice", mechanism) for _ in range(2)]
        assert known[0] == known[1], "a real user's salt is stable"
        unknown = [scram_server_first(port, b"no-such-user", mechanism) for _ in range(2)]
        assert unknown[0][1] == known[0][1], "an unknown user is offered other iterations than a real one"
        assert unknown[0] == unknown[1], (
            f"{mechanism}: an unknown user's salt changes between connections ({unknown[0][0].hex()} then "
            f"{unknown[1][0].hex()}) while alice's stays {known[0][0].hex()}: user names can be probed")


@pytest.mark.timeout(120)
def test_unauthenticated_connections_cannot_make_the_broker_buffer_huge_frames(fuzz):
    broker = fuzz.secured.broker
    port = fuzz.target.ports["SASL_PLAINTEXT"]
    before = rss(broker)[0]
    announced, sent, connections = 48 << 20, 40 << 20, 4
    socks, refused = [], 0
    try:
        for _ in range(connections):
            s = socket.create_connection(("127.0.0.1", port), timeout=DEADLINE_S)
            socks.append(s)
            try:
                s.sendall(struct.pack(">i", announced) + request_header(SASL_AUTHENTICATE, 1, 1) +
                          struct.pack(">i", announced - 20))
                chunk = bytes(1 << 20)
                for _ in range(sent >> 20):
                    s.sendall(chunk)
            except (BrokenPipeError, ConnectionResetError, socket.timeout):
                refused += 1  # closed on us (or no longer read): what Kafka does
        # The kernel holds a few MB per socket at most; the rest is in the broker if it buffers.
        grown = rss(broker)[0] - before
        report(f"{connections} unauthenticated connections announcing {announced >> 20} MiB frames, "
               f"{sent >> 20} MiB sent on each: VmRSS +{grown} KiB, {refused} cut off")
    finally:
        for s in socks:
            s.close()
    broker.assert_alive()
    assert grown < 64 * 1024, (
        f"{connections} unauthenticated connections made the broker grow by {grown} KiB "
        f"({grown // connections} KiB each)")


@pytest.mark.timeout(120)
def test_oauthbearer_exp_out_of_range_is_refused_not_a_crash(fuzz, tmp_path):
    oauth = start_broker(tmp_path / "oauth-exp", fuzz.certs, fuzz.users, ["PLAINTEXT", "SASL_PLAINTEXT"],
                         extra=["--sasl-mechanisms", "OAUTHBEARER"])
    target = make_target(oauth, fuzz.certs, fuzz.users)
    try:
        for exp in (1e16, -1e16, 1e300):
            token = unsecured_token({"alg": "none"}, {"sub": "x", "exp": exp})
            case = Case(f"oauth-exp-{exp}", "SASL_PLAINTEXT", send_payload(
                handshake("OAUTHBEARER") + authenticate(oauth_message(token), 1) + metadata_v1(3)))
            failure = run_case(target, case)
            oauth.broker.assert_alive(f"after an OAUTHBEARER token with exp {exp}")
            assert failure is None, f"exp {exp}: {failure}"
    finally:
        oauth.broker.exit_expected = not oauth.broker.running()  # a crash is this test's failure, not teardown's
        oauth.broker.stop(timeout=10, strict=False)
