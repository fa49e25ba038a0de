#!/usr/bin/env python3
"""One end-to-end measurement of a running system (called by run.sh, once per run and topology).

    bench.py --topology embedded --command-url URL --query-url URL --rate 1000 --duration 20 --prefix P

1. Accepted to visible at --rate commands/s: `load-generator visible-latency` (--load-generator,
   the project's native generator, Benchmarks/LoadGenerator) or, with --generator python,
   ../order-query/visible_latency.py. Both: open loop, the lifecycle command mix; each 2xx
   answer's position is queried at once with `?position=P:O`; latency from the command's
   answer to the query's; /health/live of order-query probed at 200/s on the generator's own
   event loop and, for the native one, by `load-generator probe` in a process of its own.
2. Sustained commands/s, end to end: wrk (2 threads, 64 keep-alive connections, the lifecycle
   mix of ../order-command/commands.lua) at full speed for --wrk-seconds, then order-query's
   /projection polled every 20 ms until every partition's stored offset is the log's end.
   Sustained = 2xx commands / (wrk start -> read model caught up): commands accepted *and*
   folded into the read model per second. The accept rate alone (2xx / wrk's duration) and
   the catch-up time after wrk stopped are printed too.

After phase 1, order-query's /metrics gives how long its batches took to apply (one
transaction each) during it: `apply`, the bucket bounds of its p50, p90 and p99 and the share of
batches over 25 ms (a histogram: bounds, not exact values).

Prints one JSON line: {"topology", "visible": {...}, "health": {...}, "apply": {...}, "sustained": {...}}.
"""

import argparse
import json
import os
import subprocess
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))


def wait_caught_up(query_url: str, at_least: int, step: float, timeout: float, what: str) -> int:
    """Polls order-query's /projection until every partition is stored to the log's end and
    at least `at_least` records are stored in all; returns that number."""
    deadline = time.monotonic() + timeout
    while True:
        with urllib.request.urlopen(f"{query_url}/projection", timeout=10) as reply:
            parts = json.load(reply)["partitions"]
        stored = sum(p["storedOffset"] for p in parts)
        if parts and all(p["lag"] == 0 for p in parts) and stored >= at_least:
            return stored
        if time.monotonic() > deadline:
            raise SystemExit(f"the read model did not catch up {what}")
        time.sleep(step)


def last_json(stdout: str) -> dict:
    return json.loads(stdout.strip().splitlines()[-1])


def measure_visible(args) -> dict:
    """Accepted -> visible at --rate, with the native generator or the Python one."""
    common = ["--command-url", args.command_url, "--query-url", args.query_url, "--rate", str(args.rate),
              "--duration", str(args.duration), "--warmup", str(args.warmup), "--prefix", f"{args.prefix}v"]
    if args.generator == "python":
        latency = subprocess.run([sys.executable, os.path.join(HERE, "..", "order-query", "visible_latency.py"), *common],
                                 check=True, capture_output=True, text=True)
        return last_json(latency.stdout)
    if not args.load_generator:
        raise SystemExit("--generator swift needs --load-generator PATH")
    # The probe in a process of its own, over the generator's schedule (which starts 0.3 s
    # after the generator does).
    probe = subprocess.Popen([args.load_generator, "probe", "--url", args.query_url,
                              "--duration", str(args.duration + 0.3), "--warmup", str(args.warmup + 0.3)],
                             stdout=subprocess.PIPE, text=True)
    latency = subprocess.run([args.load_generator, "visible-latency", *common], check=True, capture_output=True, text=True)
    probed, _ = probe.communicate(timeout=120)
    if probe.returncode != 0:
        raise SystemExit(f"load-generator probe failed ({probe.returncode})")
    return {**last_json(latency.stdout), "health_live": last_json(probed)["health_live"]}


def apply_latency(query_url: str) -> dict:
    """order-query's batch apply latency so far, from its Prometheus histogram."""
    with urllib.request.urlopen(f"{query_url}/metrics", timeout=10) as reply:
        text = reply.read().decode()
    buckets = []
    for line in text.splitlines():
        if line.startswith("order_query_apply_latency_seconds_bucket{"):
            bound = line.split('le="', 1)[1].split('"', 1)[0]
            buckets.append((float(bound), float(line.rsplit(" ", 1)[1])))
    buckets.sort()
    total = buckets[-1][1] if buckets else 0
    if not total:
        return {}
    bound_of = lambda q: next(b for b, cumulative in buckets if cumulative >= q * total)
    over_25ms = total - next(c for b, c in buckets if b >= 0.025)
    return {"batches": int(total), "p50_le_ms": 1000 * bound_of(0.5), "p90_le_ms": 1000 * bound_of(0.9),
            "p99_le_ms": 1000 * bound_of(0.99), "share_over_25ms": round(over_25ms / total, 4)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--topology", required=True)
    ap.add_argument("--command-url", required=True)
    ap.add_argument("--query-url", required=True)
    ap.add_argument("--rate", type=float, default=1000)
    ap.add_argument("--duration", type=float, default=20)
    ap.add_argument("--warmup", type=float, default=3)
    ap.add_argument("--wrk-seconds", type=int, default=15)
    ap.add_argument("--prefix", default="e2e")
    ap.add_argument("--generator", choices=("swift", "python"), default="swift")
    ap.add_argument("--load-generator", help="the load-generator binary (for --generator swift)")
    args = ap.parse_args()

    visible = measure_visible(args)
    apply = apply_latency(args.query_url)

    # Everything the latency phase wrote is folded before the sustained phase starts.
    before = wait_caught_up(args.query_url, 0, 0.05, 300, "after the latency phase")

    start = time.monotonic()
    wrk = subprocess.run(
        ["wrk", "-t2", "-c64", f"-d{args.wrk_seconds}s", "-s", os.path.join(HERE, "..", "order-command", "commands.lua"),
         args.command_url, "--", f"{args.prefix}s"],
        check=True, capture_output=True, text=True)
    wrk_done = time.monotonic()
    result = next(json.loads(line[len("RESULT "):]) for line in wrk.stdout.splitlines() if line.startswith("RESULT "))
    ok = result["ok"]
    wait_caught_up(args.query_url, before + ok, 0.02, 600, "with the sustained phase")
    visible_at = time.monotonic()
    sustained = {
        "commands_2xx": ok,
        "non_2xx": result.get("non2xx", 0),
        "accepted_per_s": round(ok / result["duration_s"], 1),
        "catch_up_after_load_s": round(visible_at - wrk_done, 3),
        "sustained_per_s": round(ok / (visible_at - start), 1),
    }
    print(json.dumps({"topology": args.topology, **visible, "apply": apply, "sustained": sustained}), flush=True)


if __name__ == "__main__":
    main()
