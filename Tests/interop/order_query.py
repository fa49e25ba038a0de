"""order-query processes, generated histories of orders.events, and an independent read model.

- OrderQuery: an `order-query` child process (ServiceProcess) with a DATABASE_URL of its own.
- History: a deterministic history of orders written straight to orders.events with librdkafka
  (the envelope headers the architecture names), including void events from a second writer.
- expected_read_model: the fold rule and the read model's rows computed again in Python from the
  log, so the tests check the Swift projection against code it does not share.
"""

from __future__ import annotations

import json
import os
import random
import uuid
from datetime import datetime, timezone

from confluent_kafka import Producer
from confluent_kafka.admin import AdminClient, NewTopic

from order_command import TOPIC, Client, partition_of, read_log
from service_process import ServiceProcess


def postgres_url() -> str:
    url = os.environ.get("ORDERS_TEST_DATABASE_URL")
    if not url:
        raise RuntimeError("ORDERS_TEST_DATABASE_URL is not set; scripts/test starts a PostgreSQL server and sets it")
    return url


def fresh_postgres_database(name: str) -> str:
    """A new, empty database on the test server (each test its own, so runs never mix)."""
    import subprocess
    base = postgres_url()
    prefix, _, _ = base.rpartition("/")
    host_port = prefix.split("@", 1)[1]
    host, port = host_port.split(":")
    psql = os.environ.get("ORDERS_TEST_PSQL", "psql")
    subprocess.run([psql, "-h", host, "-p", port, "-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1",
                    "-c", f"DROP DATABASE IF EXISTS {name}", "-c", f"CREATE DATABASE {name}"],
                   check=True, capture_output=True)
    return f"{prefix}/{name}"


class OrderQuery(ServiceProcess):
    name = "order-query"
    bin_env = "ORDER_QUERY_BIN"


def create_topic(bootstrap: str, partitions: int) -> None:
    admin = AdminClient({"bootstrap.servers": bootstrap})
    futures = admin.create_topics([NewTopic(TOPIC, partitions, 1, config={"retention.ms": "-1"})])
    for future in futures.values():
        future.result(30)


def iso(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


class History:
    """Writes orders' lifecycles to the log: every event the next version of its order, on the
    order's murmur2 partition, plus (when `void_every` > 0) a second writer's conflicting events:
    a repeat of a version already taken, or an event on the wrong partition. Deterministic per seed."""

    def __init__(self, bootstrap: str, partitions: int, seed: int = 7):
        self.bootstrap = bootstrap
        self.partitions = partitions
        self.random = random.Random(seed)
        self.versions: dict[str, int] = {}
        self.clock = 1_767_225_600_000  # 2026-01-01T00:00:00Z
        self.producer = Producer({"bootstrap.servers": bootstrap, "linger.ms": 5, "acks": "all",
                                  "enable.idempotence": True, "queue.buffering.max.messages": 200000})
        self.written = 0

    def _send(self, order_id: str, event_type: str, body: dict, version: int, partition: int | None = None, schema: int | None = None):
        self.clock += self.random.randint(1, 5)
        headers = [("event-type", event_type), ("event-id", str(uuid.UUID(int=self.random.getrandbits(128), version=4))),
                   ("schema-version", str(schema or (2 if event_type == "OrderPlaced" else 1))),
                   ("aggregate-version", str(version)), ("command-id", f"cmd-{order_id}-{version}-{self.written}"),
                   ("occurred-at", iso(self.clock)), ("content-type", "application/json"),
                   ("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")]
        target = partition_of(order_id, self.partitions) if partition is None else partition
        while True:
            try:
                self.producer.produce(TOPIC, key=order_id.encode(), value=json.dumps(body, separators=(",", ":")).encode(),
                                      headers=[(k, v.encode()) for k, v in headers], partition=target)
                break
            except BufferError:
                self.producer.poll(0.1)
        self.written += 1
        if self.written % 10000 == 0:
            self.producer.poll(0)

    def event(self, order_id: str, event_type: str, body: dict):
        version = self.versions.get(order_id, 0) + 1
        self.versions[order_id] = version
        self._send(order_id, event_type, body, version)

    def void(self, order_id: str):
        """A second writer: a version already taken, or the next version on another partition."""
        version = self.versions.get(order_id, 0)
        if version >= 1 and self.random.random() < 0.5:
            self._send(order_id, "ItemAdded", {"sku": "VOID", "quantity": 1, "unitPrice": 1}, version)
        else:
            wrong = (partition_of(order_id, self.partitions) + 1) % self.partitions
            self._send(order_id, "ItemAdded", {"sku": "VOID", "quantity": 1, "unitPrice": 1}, version + 1, partition=wrong)

    def lifecycle(self, order_id: str, customer: str, void_every: int = 0) -> int:
        """One order through a random path; returns how many events were written."""
        r = self.random
        before = self.written
        items = [{"sku": f"SKU-{r.randint(1, 40)}", "quantity": r.randint(1, 5), "unitPrice": r.randint(100, 9999)}]
        currency = r.choice(["EUR", "USD", "GBP"])
        self.event(order_id, "OrderPlaced", {"customerId": customer, "currency": currency, "items": items})
        lines = {items[0]["sku"]: items[0]}
        for _ in range(r.randint(4, 10)):
            if lines and r.random() < 0.25:
                sku = r.choice(sorted(lines))
                del lines[sku]
                self.event(order_id, "ItemRemoved", {"sku": sku})
            else:
                item = {"sku": f"SKU-{r.randint(1, 40)}", "quantity": r.randint(1, 5), "unitPrice": r.randint(100, 9999)}
                lines[item["sku"]] = item
                self.event(order_id, "ItemAdded", item)
            if void_every and r.randrange(void_every) == 0:
                self.void(order_id)
        path = r.random()
        if path < 0.15:
            self.event(order_id, "OrderCancelled", {"reason": r.choice(["changed my mind", "doppelt – «sorry»", "O'Brien; DROP TABLE orders;--"])})
            return self.written - before
        total = sum(i["quantity"] * i["unitPrice"] for i in lines.values())
        self.event(order_id, "OrderConfirmed", {"total": total})
        if path < 0.3:
            return self.written - before
        self.event(order_id, "OrderShipped", {"carrier": r.choice(["DHL", "UPS"]), "trackingNumber": f"T{r.randint(1, 10**9)}"})
        if path < 0.55:
            return self.written - before
        self.event(order_id, "OrderDelivered", {})
        return self.written - before

    def flush(self):
        remaining = self.producer.flush(60)
        assert remaining == 0, f"{remaining} records not delivered"


def expected_read_model(bootstrap: str, partitions: int) -> dict:
    """Every order as the read model should show it, folded in Python from the log."""
    orders: dict[str, dict] = {}
    for event in read_log(bootstrap, partitions):
        current = orders.get(event.order_id)
        version = current["version"] if current else 0
        if partition_of(event.order_id, partitions) != event.partition or event.version != version + 1:
            continue
        body = json.loads(event.value)
        kind = event.headers["event-type"]
        at = event.headers["occurred-at"]
        if current is None:
            current = {"orderId": event.order_id, "items": [], "placedAt": at, "_confirmed": None}
            orders[event.order_id] = current
        current["version"] = event.version
        current["updatedAt"] = at
        if kind == "OrderPlaced":
            current.update(customerId=body["customerId"], currency=body["currency"], status="placed", items=[])
            for item in body["items"]:
                upsert(current["items"], item)
        elif kind == "ItemAdded":
            upsert(current["items"], body)
        elif kind == "ItemRemoved":
            current["items"] = [i for i in current["items"] if i["sku"] != body["sku"]]
        elif kind == "OrderConfirmed":
            current["status"] = "confirmed"
            current["_confirmed"] = body["total"]
        elif kind == "OrderShipped":
            current["status"] = "shipped"
            current["shipping"] = {"carrier": body["carrier"], "trackingNumber": body["trackingNumber"]}
        elif kind == "OrderDelivered":
            current["status"] = "delivered"
        elif kind == "OrderCancelled":
            current["status"] = "cancelled"
            current["cancelReason"] = body["reason"]
    for order in orders.values():
        lines_total = sum(i["quantity"] * i["unitPrice"] for i in order["items"])
        confirmed = order.pop("_confirmed")
        order["total"] = confirmed if confirmed is not None else lines_total
        order["itemCount"] = sum(i["quantity"] for i in order["items"])
    return orders


def upsert(items: list, item: dict) -> None:
    line = {"sku": item["sku"], "quantity": item["quantity"], "unitPrice": item["unitPrice"]}
    for index, existing in enumerate(items):
        if existing["sku"] == line["sku"]:
            items[index] = line
            return
    items.append(line)


def all_orders(client: Client, params: str = "") -> dict:
    """Every order the read model serves, through the list's keyset pagination."""
    orders: dict[str, dict] = {}
    cursor = None
    while True:
        query = "limit=500" + (f"&cursor={cursor}" if cursor else "") + (f"&{params}" if params else "")
        reply = client.request("GET", f"/orders?{query}")
        assert reply.status == 200, reply.body
        for order in reply.body["orders"]:
            assert order["orderId"] not in orders, f"{order['orderId']} on two pages"
            orders[order["orderId"]] = order
        cursor = reply.body.get("nextCursor")
        if not cursor:
            return orders


def wait_caught_up(client: Client, timeout: float = 180.0) -> dict:
    """Waits until /projection shows no lag in any partition; returns it."""
    from helpers import wait_until
    last = {}

    def caught_up() -> bool:
        nonlocal last
        reply = client.request("GET", "/projection")
        last = reply.body
        return reply.status == 200 and all(p["lag"] == 0 for p in reply.body["partitions"])

    wait_until(caught_up, "the projection to catch up", timeout, detail=lambda: f" (last: {last})")
    return last
