"""notifier processes, a real webhook receiver, the notifier's topics read back, and the
notifications expected from the log, for the Notifier acceptance tests.

- Notifier: a `notifier` child process (ServiceProcess) with a DATABASE_URL of its own.
- WebhookReceiver: a real HTTP server on 127.0.0.1 (a thread) that records every request it
  gets (arrival order and time, headers, body), checks `Notifier-Signature` when it knows the
  secret, and answers as a pluggable policy says (fail the first attempts, fail one order for
  good, 429 with Retry-After, hold an answer until something else arrived, ...).
- expected_notifications: the fold rule and the default templates written again in Python, so
  the tests check the Swift service against code it does not share.
- read_records: orders.notifications / orders.notifications.dlq read back with confluent-kafka.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable

from helpers import consume_all, wait_until
from order_command import Client, fold_log
from service_process import ServiceProcess

NOTIFICATIONS_TOPIC = "orders.notifications"
DEAD_LETTER_TOPIC = "orders.notifications.dlq"

KINDS = {
    "OrderPlaced": "order-placed",
    "OrderConfirmed": "order-confirmed",
    "OrderShipped": "order-shipped",
    "OrderDelivered": "order-delivered",
    "OrderCancelled": "order-cancelled",
}

# ISO 4217 minor-unit exponents that are not 2 (only the ones the tests use).
EXPONENTS = {"JPY": 0, "KWD": 3}


class Notifier(ServiceProcess):
    name = "notifier"
    bin_env = "NOTIFIER_BIN"

    def request(self, method: str, path: str, body=None, headers: dict | None = None, raw: bytes | None = None):
        client = self.client()
        try:
            return client.request(method, path, body=body, headers=headers, raw=raw)
        finally:
            client.close()

    def status(self) -> dict:
        reply = self.request("GET", "/status")
        assert reply.status == 200, (reply.status, reply.body)
        return reply.body

    def notifications(self, order_id: str) -> list:
        reply = self.request("GET", f"/orders/{order_id}/notifications")
        assert reply.status == 200, (order_id, reply.status, reply.body)
        assert reply.body["orderId"] == order_id, reply.body
        return reply.body["notifications"]

    def wait_settled(self, timeout: float = 120.0, at_least: int = 0) -> dict:
        """Waits until every partition is folded to its end and no delivery is pending (all
        delivered or dead-lettered), with at least `at_least` deliveries finished. The events
        must be in the log (flushed) before: then nothing more can be sent after this."""
        last = {}

        def settled() -> bool:
            nonlocal last
            if self.proc.poll() is not None:
                raise AssertionError(f"notifier exited with {self.proc.returncode}\n{self.log_tail()}")
            reply = self.request("GET", "/status")
            if reply.status != 200:
                return False
            last = reply.body
            finished = last["deliveries"]["delivered"] + last["deliveries"]["deadLettered"]
            return (all(p["lag"] == 0 for p in last["partitions"]) and last["deliveries"]["pending"] == 0
                    and finished >= at_least)

        wait_until(settled, "the notifier to fold everything and finish every delivery", timeout,
                   detail=lambda: f" (last /status: {last})\n{self.log_tail(30)}")
        return last

    def log_text(self) -> str:
        try:
            return self.log_path.read_bytes().decode("utf-8", "replace")
        except OSError:
            return ""


def sink_name(sink) -> str:
    """The sink as NOTIFIER_SINKS names it (and the ledger, the DLQ headers, /status)."""
    if isinstance(sink, WebhookReceiver):
        return f"webhook:{sink.url}"
    if isinstance(sink, Path):
        return f"file:{sink}"
    return str(sink)


def notifier_env(*sinks, secret: str | None = None, concurrency: int | None = None, max_attempts: int | None = None,
                 retry_base_ms: int | None = None, retry_max_ms: int | None = None, webhook_timeout_ms: int | None = None,
                 admin_token: str | None = None, templates_dir: Path | None = None, **extra) -> dict:
    """The environment of a notifier: sinks are "log", a Path (a JSON-lines file) or a
    WebhookReceiver; the rest are the NOTIFIER_* settings; `extra` goes in as given."""
    env = {"NOTIFIER_SINKS": ",".join(sink_name(s) for s in sinks) or "log"}
    for name, value in [("NOTIFIER_WEBHOOK_SECRET", secret), ("NOTIFIER_CONCURRENCY", concurrency),
                        ("NOTIFIER_MAX_ATTEMPTS", max_attempts), ("NOTIFIER_RETRY_BASE_MS", retry_base_ms),
                        ("NOTIFIER_RETRY_MAX_MS", retry_max_ms), ("NOTIFIER_WEBHOOK_TIMEOUT_MS", webhook_timeout_ms),
                        ("ADMIN_TOKEN", admin_token), ("NOTIFIER_TEMPLATES_DIR", templates_dir)]:
        if value is not None:
            env[name] = str(value)
    env.update({k: str(v) for k, v in extra.items()})
    return env


# ------------------------------------------------------------------ the webhook receiver

@dataclass
class Arrival:
    """One request the receiver got."""
    seq: int            # arrival order, 0-based, over every request
    at: float           # time.monotonic() when the whole request had been read
    method: str
    path: str
    headers: dict       # lower-case names
    body: bytes
    json: Any           # the parsed body, or None
    key: str | None     # Idempotency-Key
    attempt: int        # 1 for the first request with this Idempotency-Key, 2 for the next, ...
    signature_ok: bool | None  # None when the receiver has no secret
    status: int = 0     # what the receiver answered (0 until the policy decided)

    @property
    def event_id(self) -> str | None:
        return (self.json or {}).get("eventId") if isinstance(self.json, dict) else None

    @property
    def order_id(self) -> str | None:
        return (self.json or {}).get("orderId") if isinstance(self.json, dict) else None

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


Answer = int | tuple  # a status, or (status, {header: value})


def always(status: int = 200) -> Callable[[Arrival], Answer]:
    return lambda arrival: status


def fail_first(n: int, status: int = 503) -> Callable[[Arrival], Answer]:
    """The first `n` attempts of every Idempotency-Key fail with `status`, then 200."""
    return lambda arrival: status if arrival.attempt <= n else 200


def fail_orders(order_ids, status: int = 500, otherwise: Callable[[Arrival], Answer] | None = None):
    """Every request for these orders answers `status`; the rest as `otherwise` (200)."""
    order_ids = set(order_ids)
    otherwise = otherwise or always(200)
    return lambda arrival: status if arrival.order_id in order_ids else otherwise(arrival)


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """What Notifier-Signature must be: sha256=hex(HMAC-SHA256(secret, "<timestamp>." + body))."""
    return "sha256=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


class WebhookReceiver:
    """A real HTTP/1.1 server (keep-alive, a thread per connection) on a free 127.0.0.1 port
    (or on `port`).

    `policy(arrival)` decides each answer (a status, or (status, headers)); it may be replaced
    while the server runs, and it may block (a held answer) with `wait_for`. A policy that
    raises answers 500 and is recorded in `policy_errors` (tests check it is empty).
    """

    def __init__(self, secret: str | None = None, policy: Callable[[Arrival], Answer] | None = None, path: str = "/hook",
                 port: int = 0):
        self.secret = secret
        self.policy = policy or always(200)
        self.path = path
        self.arrivals: list[Arrival] = []
        self.bad_signatures = 0
        # Requests whose body never fully arrived (the notifier killed while sending): not counted.
        self.incomplete = 0
        self.policy_errors: list[str] = []
        self.closed = False
        self._attempts: Counter = Counter()
        self.cond = threading.Condition(threading.RLock())
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                receiver._handle(self)

            do_PUT = do_GET = do_PATCH = do_DELETE = do_POST

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.1},
                                       name=f"webhook-{self.port}", daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.path}"

    def close(self) -> None:
        with self.cond:
            self.closed = True
            self.cond.notify_all()
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -------------------------------------------------------------- serving

    @staticmethod
    def _read_body(handler: BaseHTTPRequestHandler) -> bytes | None:
        """The whole body, or None when the connection ended before it did (the notifier was
        killed while sending): such a request was never made, and no server would act on it."""
        if "chunked" in (handler.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            while True:
                line = handler.rfile.readline()
                if not line:
                    return None
                size = int(line.split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while True:
                        trailer = handler.rfile.readline()
                        if not trailer:
                            return None
                        if trailer in (b"\r\n", b"\n"):
                            return b"".join(chunks)
                chunk = handler.rfile.read(size)
                if len(chunk) < size or not handler.rfile.readline():
                    return None
                chunks.append(chunk)
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length)
        return body if len(body) == length else None

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        body = self._read_body(handler)
        if body is None:
            handler.close_connection = True
            with self.cond:
                self.incomplete += 1
            return
        at = time.monotonic()
        headers = {k.lower(): v for k, v in handler.headers.items()}
        try:
            parsed = json.loads(body) if body else None
        except ValueError:
            parsed = None
        signature_ok = None
        if self.secret is not None:
            given = headers.get("notifier-signature", "")
            expected = signature(self.secret, headers.get("notifier-timestamp", ""), body)
            signature_ok = "notifier-timestamp" in headers and hmac.compare_digest(given, expected)
        with self.cond:
            key = headers.get("idempotency-key")
            self._attempts[key] += 1
            arrival = Arrival(len(self.arrivals), at, handler.command, handler.path, headers, body, parsed, key,
                              self._attempts[key], signature_ok)
            if signature_ok is False:
                self.bad_signatures += 1
            self.arrivals.append(arrival)
            self.cond.notify_all()
        try:
            answer = self.policy(arrival)
        except Exception as e:  # noqa: BLE001 - a broken policy must show in the test, not hang it
            self.policy_errors.append(f"{type(e).__name__}: {e}")
            answer = 500
        status, extra = (answer if isinstance(answer, tuple) else (answer, {}))
        with self.cond:
            arrival.status = status
            self.cond.notify_all()
        payload = b'{"ok":true}' if 200 <= status < 300 else b'{"ok":false}'
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(payload)))
            for name, value in extra.items():
                handler.send_header(name, str(value))
            handler.end_headers()
            handler.wfile.write(payload)
            handler.wfile.flush()
        except OSError:
            handler.close_connection = True  # the notifier went away (a kill -9): nothing to answer

    # -------------------------------------------------------------- looking

    def wait_for(self, predicate: Callable[[], bool], timeout: float) -> bool:
        """From a policy: blocks until `predicate()` (evaluated under the lock) or the timeout."""
        with self.cond:
            return self.cond.wait_for(lambda: self.closed or predicate(), timeout)

    def snapshot(self) -> list[Arrival]:
        with self.cond:
            return list(self.arrivals)

    def for_key(self, key: str) -> list[Arrival]:
        with self.cond:
            return [a for a in self.arrivals if a.key == key]

    def for_order(self, order_id: str) -> list[Arrival]:
        with self.cond:
            return [a for a in self.arrivals if a.order_id == order_id]

    def delivered(self) -> list[Arrival]:
        """The requests answered 2xx (deliveries, as the notifier counts them)."""
        with self.cond:
            return [a for a in self.arrivals if a.ok]

    def delivered_counts(self) -> Counter:
        """Per event id, how many times it was answered 2xx."""
        with self.cond:
            return Counter(a.event_id for a in self.arrivals if a.ok)

    def has_delivered(self, event_ids) -> bool:
        with self.cond:
            seen = {a.event_id for a in self.arrivals if a.ok}
        return set(event_ids) <= seen


# ------------------------------------------------------------------ what the log says should be sent

def money(minor: int, currency: str) -> str:
    """Minor units as a decimal amount (2 decimals unless the currency has another exponent)."""
    exponent = EXPONENTS.get(currency, 2)
    if exponent == 0:
        return str(minor)
    sign = "-" if minor < 0 else ""
    scale = 10 ** exponent
    return f"{sign}{abs(minor) // scale}.{abs(minor) % scale:0{exponent}d}"


def render(kind: str, order_id: str, customer: str, currency: str, body: dict) -> tuple[str, str]:
    """The default templates of NotificationTemplates.swift, as subject and text."""
    if kind == "order-placed":
        items = body["items"]
        total = sum(i["quantity"] * i["unitPrice"] for i in items)
        count = sum(i["quantity"] for i in items)
        lines = [f"Hello {customer}, thank you for your order {order_id}: {count} item(s), {money(total, currency)} {currency} in all."]
        lines += [f"- {i['quantity']} x {i['sku']} at {money(i['unitPrice'], currency)} {currency}" for i in items]
        return f"We received your order {order_id}", "\n".join(lines)
    if kind == "order-confirmed":
        return (f"Your order {order_id} is confirmed",
                f"Hello {customer}, your order {order_id} is confirmed; its total is {money(body['total'], currency)} {currency}.")
    if kind == "order-shipped":
        return (f"Your order {order_id} is on its way",
                f"Hello {customer}, your order {order_id} left with {body['carrier']}; the tracking number is {body['trackingNumber']}.")
    if kind == "order-delivered":
        return (f"Your order {order_id} was delivered",
                f"Hello {customer}, your order {order_id} was delivered. Thank you for shopping with us.")
    if kind == "order-cancelled":
        return (f"Your order {order_id} was cancelled",
                f"Hello {customer}, your order {order_id} was cancelled: {body['reason']}.")
    raise AssertionError(kind)


@dataclass
class Expected:
    """What the log says: the notification of every event in effect that notifies (by event
    id), the ids of events in effect that notify nobody, the void events' ids, and where
    each event is."""
    notifications: dict = field(default_factory=dict)
    silent: set = field(default_factory=set)
    void: set = field(default_factory=set)
    events: dict = field(default_factory=dict)  # event id -> order_command.LogEvent

    def of_order(self, order_id: str) -> list:
        return sorted((n for n in self.notifications.values() if n["orderId"] == order_id), key=lambda n: n["version"])


def expected_notifications(bootstrap: str, partitions: int, render=render) -> Expected:
    """The fold rule over orders.events (read back independently), each event in effect that
    notifies rendered with the default templates (or `render`)."""
    expected = Expected()
    facts: dict = {}
    for event in fold_log(bootstrap, partitions).events:
        event_id = event.headers["event-id"]
        expected.events[event_id] = event
        if not event.in_effect:
            expected.void.add(event_id)
            continue
        body = json.loads(event.value)
        event_type = event.headers["event-type"]
        if event_type == "OrderPlaced":
            facts[event.order_id] = (body["customerId"], body["currency"])
        kind = KINDS.get(event_type)
        if kind is None:
            expected.silent.add(event_id)
            continue
        customer, currency = facts[event.order_id]
        subject, text = render(kind, event.order_id, customer, currency, body)
        expected.notifications[event_id] = {
            "customerId": customer, "eventId": event_id, "kind": kind, "occurredAt": event.headers["occurred-at"],
            "orderId": event.order_id, "position": f"{event.partition}:{event.offset}", "subject": subject,
            "text": text, "version": event.version,
        }
    return expected


# ------------------------------------------------------------------ the notifier's topics

@dataclass
class TopicRecord:
    partition: int
    offset: int
    key: str
    headers: dict       # the last value of each name, decoded
    header_list: list   # every (name, value) in order
    value: bytes

    @property
    def json(self):
        return json.loads(self.value)


def read_records(bootstrap: str, topic: str, partitions: int) -> list[TopicRecord]:
    """Every record of `topic` up to its high watermarks, headers included."""
    records = []
    for partition, messages in sorted(consume_all(bootstrap, topic, partitions, timeout=60.0).items()):
        for msg in messages:
            pairs = [(k, v.decode("utf-8", "replace") if v is not None else None) for k, v in (msg.headers() or [])]
            records.append(TopicRecord(partition, msg.offset(), (msg.key() or b"").decode("utf-8", "replace"),
                                       dict(pairs), pairs, msg.value() or b""))
    return records


def read_notifications(bootstrap: str, partitions: int) -> list[TopicRecord]:
    return read_records(bootstrap, NOTIFICATIONS_TOPIC, partitions)


def read_dead_letters(bootstrap: str, partitions: int) -> list[TopicRecord]:
    return read_records(bootstrap, DEAD_LETTER_TOPIC, partitions)


def read_jsonl(path: Path) -> list[tuple[bytes, dict]]:
    """The file sink's lines, each as its bytes and parsed (a missing file has none)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return []
    lines = data.split(b"\n")
    assert lines[-1] == b"", f"{path} does not end with a newline: {lines[-1][:200]!r}"
    return [(line, json.loads(line)) for line in lines[:-1]]


# ------------------------------------------------------------------ the process log

def log_entries(log: str, event_id: str) -> list[str]:
    """The LogSink's entries for an event: from its metadata to the subject (the text may
    span lines). StreamLogHandler: `<ts> info notifier: k=v ... [<module>] <message>`, keys sorted."""
    pattern = re.compile(r" info notifier: customer\.id=[^\n]* notification\.event_id=" + re.escape(event_id)
                         + r" notification\.kind=.*? order\.version=\d+ \[[^\]\n]+\] [^\n]*", re.S)
    return pattern.findall(log)


def retry_log(log: str) -> list[dict]:
    """The "Delivery failed; retrying" lines: event id, attempt, retry_in_ms."""
    out = []
    for line in log.splitlines():
        if "Delivery failed; retrying" not in line:
            continue
        fields = {}
        for name in ("attempt", "event.id", "retry_in_ms", "order.id"):
            m = re.search(r"(?:^| )" + re.escape(name) + r"=(\S+)", line)
            if m:
                fields[name] = m.group(1)
        out.append(fields)
    return out


def error_lines(log: str) -> list[str]:
    return [line for line in log.splitlines() if " error notifier:" in line or " critical notifier:" in line]


def admin(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def every_partition(partitions: int, offset: int = 0) -> dict:
    return {str(p): offset for p in range(partitions)}


__all__ = [
    "Notifier", "WebhookReceiver", "Arrival", "notifier_env", "sink_name", "always", "fail_first", "fail_orders",
    "signature", "expected_notifications", "Expected", "render", "money", "read_records", "read_notifications",
    "read_dead_letters", "read_jsonl", "log_entries", "retry_log", "error_lines", "admin", "every_partition",
    "NOTIFICATIONS_TOPIC", "DEAD_LETTER_TOPIC", "Client",
]
