#!/usr/bin/env python3
"""Constant-rate (open-loop) load generator for order-command: latency at a fixed command rate.

    constant_rate.py --url http://127.0.0.1:PORT --rate 1500 --duration 20 --warmup 3 \
                     --connections 64 --prefix RUN

wrk2 is not packaged here, and plain wrk is closed-loop (it measures only as fast as answers
come back, hiding queueing: "coordinated omission"). This sends commands on a fixed schedule,
command i intended at t0 + i/rate, and measures each latency from its *intended* send time to
the end of its answer, so a command that had to wait for a free connection (or for this
process) is charged for the wait, as wrk2 does.

The command mix is commands.lua's: each order is placed with a unique id and walked through
add item, add item, confirm, ship, deliver (4 in 5 orders) or add item, cancel (1 in 5), one
command at a time (the next command on an order is only sent after the previous one's
answer); when no order is waiting for its next command, a new one is placed. HTTP/1.1 over
raw keep-alive sockets, one request in flight per connection; standard library only.

Prints one JSON line: commands sent and answered, errors, the achieved rate, latency
percentiles in ms (after the warm-up), and the CPU seconds this generator used.
"""

import argparse
import asyncio
import collections
import json
import resource
import sys
import time
import urllib.parse

FULL = ("place", "add", "add", "confirm", "ship", "deliver")
SHORT = ("place", "add", "cancel")


class Order:
    __slots__ = ("id", "n", "step", "cancel")

    def __init__(self, oid, n, cancel):
        self.id, self.n, self.step, self.cancel = oid, n, 0, cancel


def build(order, host):
    steps = SHORT if order.cancel else FULL
    kind = steps[order.step - 1]
    oid = order.id
    if kind == "place":
        path, body = "/orders", ('{"orderId":"%s","customerId":"c-%d","currency":"EUR",'
                                 '"items":[{"sku":"SKU-1","quantity":2,"unitPrice":1250}]}' % (oid, order.n % 1000))
    elif kind == "add":
        path, body = "/orders/%s/items" % oid, '{"sku":"SKU-%d","quantity":1,"unitPrice":%d}' % (order.step, 100 * order.step)
    elif kind == "ship":
        path, body = "/orders/%s/ship" % oid, '{"carrier":"DHL","trackingNumber":"JD%d"}' % order.n
    elif kind == "cancel":
        path, body = "/orders/%s/cancel" % oid, '{"reason":"changed my mind"}'
    else:
        path, body = "/orders/%s/%s" % (oid, kind), ""
    body = body.encode()
    head = ("POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nIdempotency-Key: %s-%d\r\n"
            "Content-Length: %d\r\n\r\n" % (path, host, oid, order.step, len(body))).encode()
    return head + body


async def read_response(reader):
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        if line[:15].lower() == b"content-length:":
            length = int(line[15:])
    if length:
        await reader.readexactly(length)
    return status


async def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--url", required=True)
    ap.add_argument("--rate", type=float, required=True, help="commands per second")
    ap.add_argument("--duration", type=float, default=20.0, help="seconds of scheduled sending, warm-up included")
    ap.add_argument("--warmup", type=float, default=3.0, help="seconds at the start not counted in the latencies")
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--prefix", default="cr")
    args = ap.parse_args()
    url = urllib.parse.urlsplit(args.url)
    host, port = url.hostname, url.port or 80

    loop = asyncio.get_running_loop()
    jobs = asyncio.Queue()
    ready = collections.deque()
    stats = {"sent": 0, "ok": 0, "non2xx": 0, "io_errors": 0, "orders": 0}
    latencies = []
    counter = 0
    t0 = loop.time() + 0.2  # leave time to connect
    measure_from = t0 + args.warmup
    total = int(args.rate * args.duration)

    async def worker():
        nonlocal counter
        reader, writer = await asyncio.open_connection(host, port)
        while True:
            intended = await jobs.get()
            if intended is None:
                break
            if ready:
                order = ready.popleft()
            else:
                counter += 1
                order = Order("%s-%d" % (args.prefix, counter), counter, counter % 5 == 0)
                stats["orders"] += 1
            order.step += 1
            writer.write(build(order, host))
            stats["sent"] += 1
            try:
                status = await read_response(reader)
            except (asyncio.IncompleteReadError, ConnectionError) as error:
                stats["io_errors"] += 1
                print("connection error: %r" % error, file=sys.stderr)
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
                continue
            end = loop.time()
            if intended >= measure_from:
                latencies.append(end - intended)
            if status in (200, 201):
                stats["ok"] += 1
                if order.step < len(SHORT if order.cancel else FULL):
                    ready.append(order)
            else:
                stats["non2xx"] += 1
        writer.close()

    workers = [asyncio.create_task(worker()) for _ in range(args.connections)]
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    await asyncio.sleep(max(0.0, t0 - loop.time()))
    scheduled = 0
    while scheduled < total:
        due = min(total, int((loop.time() - t0) * args.rate) + 1)
        while scheduled < due:
            jobs.put_nowait(t0 + scheduled / args.rate)
            scheduled += 1
        await asyncio.sleep(0.0005)
    for _ in workers:
        jobs.put_nowait(None)
    await asyncio.gather(*workers)
    elapsed = loop.time() - t0
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)

    latencies.sort()

    def pct(p):
        if not latencies:
            return None
        return round(1000 * latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))], 3)

    print(json.dumps({
        "kind": "constant-rate", "target_rate": args.rate, "connections": args.connections,
        "sent": stats["sent"], "ok": stats["ok"], "non2xx": stats["non2xx"], "io_errors": stats["io_errors"],
        "orders": stats["orders"], "achieved_rate": round(stats["ok"] / elapsed, 1),
        "elapsed_s": round(elapsed, 3), "measured": len(latencies),
        "p50_ms": pct(50), "p90_ms": pct(90), "p99_ms": pct(99), "p999_ms": pct(99.9),
        "max_ms": round(1000 * latencies[-1], 3) if latencies else None,
        "generator_cpu_s": round(cpu1.ru_utime + cpu1.ru_stime - cpu0.ru_utime - cpu0.ru_stime, 3),
    }))


if __name__ == "__main__":
    asyncio.run(main())
