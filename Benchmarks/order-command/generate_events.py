#!/usr/bin/env python3
"""Fills an order event topic with valid events, for the rebuild benchmark.

    generate_events.py --bootstrap 127.0.0.1:PORT --topic rebuild.events --orders 100000

Writes exactly 10 events per order (so --orders 100000 gives 1,000,000 events) to partition 0
of an existing topic (run.sh creates it with 1 partition and retention.ms=-1, so every key
belongs to partition 0 by murmur2 and every event is in effect). With --partitions N (the
topic's partition count), each order goes to its key's murmur2 partition instead, as
order-command's producer puts it, so every event is in effect on an N-partition topic too:

  4 in 5 orders: OrderPlaced (2 items), ItemAdded x5, ItemRemoved, OrderConfirmed, OrderShipped, OrderDelivered
  1 in 5 orders: OrderPlaced (2 items), ItemAdded x7, ItemRemoved, OrderCancelled

Records are what order-command itself appends (Tests/EventsTests/Fixtures/golden-events.jsonl):
key = order id, JSON body with sorted keys, headers event-type, event-id, schema-version
(2 for OrderPlaced, 1 otherwise), aggregate-version, command-id, occurred-at (RFC 3339, ms,
UTC) and content-type application/json; no traceparent (commands sent without one have none).
Orders are interleaved: 1,000 orders in progress at a time, one event of each in turn, in
blocks (the next 1,000 begin when a block has ended); with --staggered as a busy log has them,
1,000 always under way, each followed by the next as soon as it ends (any batch boundary then
falls inside many orders' lives, as in production; in blocks, only some do).
occurred-at runs 1 ms apart and ends --age-days before now: 0 (the default) puts every
command inside OrderCommand's 24-hour idempotency window, so the instance that folds the
topic also remembers every command id; 365 puts them all outside it (pruned as they are
folded), as in a long-lived log.

Needs confluent-kafka (the interop venv: .build/interop-venv, see Tests/interop/requirements.txt).
Prints one JSON line with the counts and the produce rate.
"""

import argparse
import json
import sys
import time

from confluent_kafka import Producer

def rfc3339(ms):
    seconds, millis = divmod(ms, 1000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + ".%03dZ" % millis


def body(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def events_of(n):
    """The 10 (event type, schema version, body) of order number n."""
    items = [{"quantity": 2, "sku": "SKU-1", "unitPrice": 1250}, {"quantity": 1, "sku": "SKU-2", "unitPrice": 999}]
    out = [("OrderPlaced", 2, body({"currency": "EUR", "customerId": "c-%d" % (n % 1000), "items": items}))]
    cancel = n % 5 == 4
    for k in range(7 if cancel else 5):
        item = {"quantity": 1 + k, "sku": "SKU-%d" % (k + 3), "unitPrice": 100 * (k + 1)}
        items.append(item)
        out.append(("ItemAdded", 1, body(item)))
    items = [i for i in items if i["sku"] != "SKU-1"]
    out.append(("ItemRemoved", 1, body({"sku": "SKU-1"})))
    if cancel:
        out.append(("OrderCancelled", 1, body({"reason": "changed my mind"})))
    else:
        out.append(("OrderConfirmed", 1, body({"total": sum(i["quantity"] * i["unitPrice"] for i in items)})))
        out.append(("OrderShipped", 1, body({"carrier": "DHL", "trackingNumber": "JD%d" % n})))
        out.append(("OrderDelivered", 1, body({})))
    assert len(out) == 10
    return out


def in_blocks(orders, in_progress):
    """(order number, step) in blocks of `in_progress` orders: each block's first events, then
    its second ones, and so on; the next block starts when the whole block has ended."""
    for block in range(0, orders, in_progress):
        numbers = range(block, min(orders, block + in_progress))
        for step in range(10):
            for n in numbers:
                yield n, step


def staggered(orders, in_progress):
    """(order number, step) with `in_progress` orders under way at every moment, as in a busy
    log: each of `in_progress` slots takes one step per round, and starts its next order as
    soon as its order has ended; slot s starts at round s mod 10, so orders end (and begin)
    all the time, not in blocks."""
    slots = [None] * in_progress  # per slot: [order number, next step]
    next_order = 0
    done = 0
    round_number = 0
    while done < orders:
        for s in range(in_progress):
            if slots[s] is None:
                if round_number < s % 10 or next_order >= orders:
                    continue
                slots[s] = [next_order, 0]
                next_order += 1
            n, step = slots[s]
            yield n, step
            if step == 9:
                slots[s] = None
                done += 1
            else:
                slots[s][1] = step + 1
        round_number += 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bootstrap", required=True)
    ap.add_argument("--topic", required=True)
    ap.add_argument("--orders", type=int, default=100_000)
    ap.add_argument("--in-progress", type=int, default=1000, help="orders interleaved at a time")
    ap.add_argument("--staggered", action="store_true",
                    help="orders begin and end all the time (a busy log), instead of in blocks of --in-progress")
    ap.add_argument("--age-days", type=float, default=0.0, help="the last event occurred this many days ago")
    ap.add_argument("--partitions", type=int, default=1,
                    help="the topic's partition count: each order goes to its key's murmur2 partition (1: partition 0)")
    args = ap.parse_args()
    if args.partitions > 1:
        from kafka.partitioner.default import murmur2  # kafka-python, in the interop venv

        def partition_of(order_id):
            """The Java client's default partitioner, as KafkaWire's and order-command's."""
            return (murmur2(order_id.encode()) & 0x7FFFFFFF) % args.partitions
    else:
        def partition_of(_order_id):
            return 0
    base_ms = int((time.time() - args.age_days * 86400) * 1000) - 10 * args.orders - 1000

    producer = Producer({
        "bootstrap.servers": args.bootstrap, "acks": "all", "enable.idempotence": True,
        "linger.ms": 20, "batch.size": 1_000_000, "queue.buffering.max.messages": 500_000,
        "queue.buffering.max.kbytes": 512 * 1024,
    })
    failed = []

    def on_delivery(error, _message):
        if error is not None:
            failed.append(error)

    started = time.monotonic()
    seq = 0
    per_order, partitions = {}, {}
    for n, step in (staggered if args.staggered else in_blocks)(args.orders, args.in_progress):
        if step == 0:
            per_order[n] = events_of(n)
            partitions[n] = partition_of("order-%07d" % n)
        event_type, schema, value = per_order[n][step]
        partition = partitions[n]
        if step == 9:
            del per_order[n], partitions[n]
        seq += 1
        order_id = "order-%07d" % n
        headers = [
            ("event-type", event_type),
            ("event-id", "%08x-0000-4000-8000-%012x" % (seq >> 16, seq)),
            ("schema-version", str(schema)),
            ("aggregate-version", str(step + 1)),
            ("command-id", "%s-%d" % (order_id, step + 1)),
            ("occurred-at", rfc3339(base_ms + seq)),
            ("content-type", "application/json"),
        ]
        while True:
            try:
                producer.produce(args.topic, value=value, key=order_id, headers=headers, partition=partition,
                                 on_delivery=on_delivery)
                break
            except BufferError:
                producer.poll(0.05)
        if seq % 10_000 == 0:
            producer.poll(0)
    remaining = producer.flush(120)
    elapsed = time.monotonic() - started
    if remaining or failed:
        print("generate_events: %d undelivered, %d failed (first: %s)" % (remaining, len(failed), failed[:1]), file=sys.stderr)
        sys.exit(1)
    print(json.dumps({"kind": "generate", "topic": args.topic, "orders": args.orders, "events": seq, "age_days": args.age_days,
                      "partitions": args.partitions,
                      "elapsed_s": round(elapsed, 3), "events_per_s": round(seq / elapsed)}))


if __name__ == "__main__":
    main()
