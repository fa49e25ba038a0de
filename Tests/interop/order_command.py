"""order-command processes and an independent reading of orders.events, for the acceptance tests.

- OrderCommand: an `order-command` child process on a free port against a test broker, with
  start / wait_ready / kill9 / stop, and a small JSON-over-HTTP client.
- fold_log: the fold rule (docs/architecture.md) written again in Python (murmur2 partitioner, version
  = previous + 1), so the tests check the Swift service against an implementation it does not share.
"""

from __future__ import annotations

import http.client
import json
from dataclasses import dataclass, field
from pathlib import Path

from confluent_kafka import Consumer, TopicPartition
from kafka.partitioner.default import murmur2

from helpers import consume_all
from service_process import ServiceProcess, service_bin

TOPIC = "orders.events"


def order_command_bin() -> str:
    return service_bin("order-command", "ORDER_COMMAND_BIN")


@dataclass
class Reply:
    status: int
    headers: dict
    body: dict | None
    raw: bytes

    @property
    def problem_type(self) -> str | None:
        return (self.body or {}).get("type")


class Client:
    """One keep-alive HTTP/1.1 connection; reconnects once when the server closed it."""

    def __init__(self, port: int, timeout: float = 30.0, host: str = "127.0.0.1"):
        self.port = port
        self.host = host
        self.timeout = timeout
        self.conn: http.client.HTTPConnection | None = None
        # Headers every request carries (a bearer token), under the request's own.
        self.default_headers: dict = {}

    def request(self, method: str, path: str, body=None, headers: dict | None = None, raw: bytes | None = None) -> Reply:
        payload = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        hdrs = {"Content-Type": "application/json", **self.default_headers, **(headers or {})}
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            try:
                self.conn.request(method, path, body=payload, headers=hdrs)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (ConnectionError, http.client.RemoteDisconnected, http.client.CannotSendRequest, BrokenPipeError):
                self.conn.close()
                self.conn = None
                if attempt == 1:
                    raise
        ctype = response.getheader("Content-Type") or ""
        parsed = json.loads(data) if data and "json" in ctype else None
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, parsed, data)

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


class OrderCommand(ServiceProcess):
    """An `order-command` process; the log goes to log_path."""

    name = "order-command"
    bin_env = "ORDER_COMMAND_BIN"

    def status(self) -> dict:
        return Client(self.port, host=self.host).request("GET", "/status").body


# ------------------------------------------------------------------ the log, read independently

def partition_of(order_id: str, partitions: int) -> int:
    """The Java client's default partitioner (kafka-python's murmur2, as KafkaWire's)."""
    return (murmur2(order_id.encode()) & 0x7FFFFFFF) % partitions


@dataclass
class LogEvent:
    partition: int
    offset: int
    order_id: str
    headers: dict
    value: bytes
    in_effect: bool = False

    @property
    def version(self) -> int:
        return int(self.headers["aggregate-version"])


@dataclass
class Fold:
    events: list = field(default_factory=list)
    versions: dict = field(default_factory=dict)  # order id -> version in effect

    def in_effect(self, order_id: str | None = None) -> list:
        return [e for e in self.events if e.in_effect and (order_id is None or e.order_id == order_id)]

    def void(self) -> list:
        return [e for e in self.events if not e.in_effect]


def read_log(bootstrap: str, partitions: int) -> list:
    """Every record of orders.events, per partition in offset order, read to the high watermark."""
    records = []
    for partition, messages in sorted(consume_all(bootstrap, TOPIC, partitions, timeout=60.0).items()):
        for msg in messages:
            headers = {k: (v.decode() if v is not None else None) for k, v in (msg.headers() or [])}
            records.append(LogEvent(partition, msg.offset(), (msg.key() or b"").decode("utf-8", "replace"), headers, msg.value() or b""))
    return records


def fold_log(bootstrap: str, partitions: int) -> Fold:
    """The fold rule: in effect iff the key maps to the partition and the version is the order's next."""
    fold = Fold()
    for event in read_log(bootstrap, partitions):
        current = fold.versions.get(event.order_id, 0)
        if partition_of(event.order_id, partitions) == event.partition and event.version == current + 1:
            event.in_effect = True
            fold.versions[event.order_id] = event.version
        fold.events.append(event)
    return fold


def end_offsets(bootstrap: str, partitions: int) -> dict:
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "ends"})
    try:
        return {p: consumer.get_watermark_offsets(TopicPartition(TOPIC, p), timeout=10)[1] for p in range(partitions)}
    finally:
        consumer.close()
