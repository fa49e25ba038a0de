#!/usr/bin/env python3
"""Command accepted to visible in the read model, at a constant command rate.

    visible_latency.py --command-url http://127.0.0.1:8081 --query-url http://127.0.0.1:8082 \\
                       --rate 1000 --duration 20 --warmup 3

Open loop, as ../order-command/constant_rate.py (whose command mix and HTTP code it uses):
commands go out on a fixed schedule over 64 keep-alive connections. For every 2xx answer, a
query `GET /orders/{id}?position=P:O&waitMs=30000` goes to order-query at once, on a pool of
64 more connections; the latency is from the command's answer (accepted) to the query's
answer (visible), as a client doing read-your-writes sees it. In the same run, /health/live of
order-query is probed at a constant 200 req/s, latency from each probe's intended time: the
floor the HTTP path alone costs on this machine under the same load. The probe runs twice:
in a process of its own (`health_live`), and on this process's event loop beside the load
(`health_live_in_client`). The second also counts the load generator's own lag (its one
thread is busy with 2,000 requests a second), which the first does not.

Prints one JSON line with both percentile sets (ms, after the warm-up).
"""

import argparse
import asyncio
import json
import multiprocessing
import os
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "order-command"))
from constant_rate import FULL, SHORT, Order, build  # noqa: E402


async def read_answer(reader):
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        if line[:15].lower() == b"content-length:":
            length = int(line[15:])
    body = await reader.readexactly(length) if length else b""
    return status, body


def percentiles(values):
    values = sorted(values)
    if not values:
        return {}
    pick = lambda p: round(1000 * values[min(len(values) - 1, int(p / 100 * len(values)))], 3)
    return {"count": len(values), "p50_ms": pick(50), "p90_ms": pick(90), "p99_ms": pick(99),
            "p999_ms": pick(99.9), "max_ms": round(1000 * values[-1], 3)}


async def probe(host, port, t0, measure_from, stop, latencies):
    """GET /health/live at 200 req/s until `stop()`, each latency from its intended time."""
    loop = asyncio.get_running_loop()
    reader, writer = await asyncio.open_connection(host, port)
    n = 0
    while not stop():
        intended = t0 + n / 200
        n += 1
        await asyncio.sleep(max(0.0, intended - loop.time()))
        writer.write(f"GET /health/live HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
        await read_answer(reader)
        if intended >= measure_from:
            latencies.append(loop.time() - intended)
    writer.close()


def probe_process(host, port, start_at, warmup, end_at, results):
    """The prober in a process of its own, between two wall-clock times."""
    async def run():
        loop = asyncio.get_running_loop()
        t0 = loop.time() + (start_at - time.time())
        latencies = []
        await probe(host, port, t0, t0 + warmup, lambda: time.time() >= end_at, latencies)
        results.put(percentiles(latencies))
    asyncio.run(run())


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--command-url", required=True)
    ap.add_argument("--query-url", required=True)
    ap.add_argument("--rate", type=float, default=1000)
    ap.add_argument("--duration", type=float, default=20)
    ap.add_argument("--warmup", type=float, default=3)
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--prefix", default="vis")
    args = ap.parse_args()
    command = urllib.parse.urlsplit(args.command_url)
    query = urllib.parse.urlsplit(args.query_url)
    loop = asyncio.get_running_loop()
    jobs, visible = asyncio.Queue(), asyncio.Queue()
    ready = []
    stats = {"sent": 0, "accepted": 0, "non2xx": 0, "not_visible": 0}
    visibility, health = [], []
    counter = 0
    t0 = loop.time() + 0.3
    measure_from = t0 + args.warmup
    total = int(args.rate * args.duration)

    async def commander():
        nonlocal counter
        reader, writer = await asyncio.open_connection(command.hostname, command.port)
        while (intended := await jobs.get()) is not None:
            if ready:
                order = ready.pop()
            else:
                counter += 1
                order = Order(f"{args.prefix}-{counter}", counter, counter % 5 == 0)
            order.step += 1
            writer.write(build(order, command.hostname))
            stats["sent"] += 1
            status, body = await read_answer(reader)
            accepted = loop.time()
            if status in (200, 201):
                stats["accepted"] += 1
                answer = json.loads(body)
                visible.put_nowait((accepted, intended >= measure_from, answer["orderId"], answer["position"]))
                if order.step < len(SHORT if order.cancel else FULL):
                    ready.append(order)
            else:
                stats["non2xx"] += 1
        writer.close()

    async def querier():
        reader, writer = await asyncio.open_connection(query.hostname, query.port)
        while (item := await visible.get()) is not None:
            accepted, measured, order_id, position = item
            writer.write((f"GET /orders/{order_id}?position={position}&waitMs=30000 HTTP/1.1\r\n"
                          f"Host: {query.hostname}\r\n\r\n").encode())
            status, _ = await read_answer(reader)
            if status != 200:
                stats["not_visible"] += 1
            elif measured:
                visibility.append(loop.time() - accepted)
        writer.close()

    commanders = [asyncio.create_task(commander()) for _ in range(args.connections)]
    queriers = [asyncio.create_task(querier()) for _ in range(args.connections)]
    stop = asyncio.Event()
    prober = asyncio.create_task(probe(query.hostname, query.port, t0, measure_from, stop.is_set, health))
    # The same probe in its own process, from the same start to the end of the schedule.
    spawn = multiprocessing.get_context("spawn")  # a fresh interpreter, not a fork of this loop
    results = spawn.Queue()
    wall_t0 = time.time() + (t0 - loop.time())
    separate = spawn.Process(target=probe_process, args=(
        query.hostname, query.port, wall_t0, args.warmup, wall_t0 + total / args.rate, results))
    separate.start()
    await asyncio.sleep(max(0.0, t0 - loop.time()))
    scheduled = 0
    while scheduled < total:
        due = min(total, int((loop.time() - t0) * args.rate) + 1)
        while scheduled < due:
            jobs.put_nowait(t0 + scheduled / args.rate)
            scheduled += 1
        await asyncio.sleep(0.0005)
    for _ in commanders:
        jobs.put_nowait(None)
    await asyncio.gather(*commanders)
    for _ in queriers:
        visible.put_nowait(None)
    await asyncio.gather(*queriers)
    stop.set()
    await prober
    separate_health = await loop.run_in_executor(None, results.get)
    separate.join()
    elapsed = loop.time() - t0
    print(json.dumps({"kind": "visible-latency", "target_rate": args.rate, **stats,
                      "achieved_rate": round(stats["accepted"] / elapsed, 1),
                      "visible": percentiles(visibility), "health_live": separate_health,
                      "health_live_in_client": percentiles(health)}))


if __name__ == "__main__":
    asyncio.run(main())
