#!/usr/bin/env python3
"""Prints run.sh's results (results.jsonl) as Markdown tables: medians with min-max.

    summarize.py WORK/results.jsonl [--threads 2 --connections 64 --duration 15]
"""

import argparse
import json
import os
import statistics
import time


def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def spread(values, fmt="{:,.0f}"):
    values = [v for v in values if v is not None]
    if not values:
        return "-"
    return "%s (%s-%s)" % (fmt.format(statistics.median(values)), fmt.format(min(values)), fmt.format(max(values)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("results")
    ap.add_argument("--threads", default="?")
    ap.add_argument("--connections", default="?")
    ap.add_argument("--duration", default="?")
    args = ap.parse_args()
    rows = [json.loads(line) for line in open(args.results) if line.strip()]
    cpu = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    print("\n### OrderCommand (%s, %d cores, %s)\n" % (time.strftime("%Y-%m-%d"), os.cpu_count(), cpu))

    http = [r for r in rows if r["phase"] == "http"]
    if http:
        runs = sorted({r["run"] for r in http})
        by = {(r["run"], r["result"]["kind"]): r for r in http}
        print("wrk -t%s -c%s -d%ss, keep-alive; medians of %d runs (min-max):\n" % (args.threads, args.connections, args.duration, len(runs)))
        print("| workload | 2xx req/s | non-2xx | wrk p50 ms | wrk p99 ms | server CPU s | broker CPU s | wrk CPU s |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        for kind, name in (("health", "GET /health/live"), ("commands", "commands (lifecycle mix)")):
            rs = [by[(n, kind)] for n in runs if (n, kind) in by]
            print("| %s | %s | %d | %s | %s | %s | %s | %s |" % (
                name, spread([r["result"]["ok_per_s"] for r in rs]), sum(r["result"]["non2xx"] + r["result"]["socket_errors"] for r in rs),
                spread([r["result"]["p50_ms"] for r in rs], "{:.2f}"), spread([r["result"]["p99_ms"] for r in rs], "{:.2f}"),
                spread([r["server_cpu_s"] for r in rs], "{:.1f}"), spread([r["broker_cpu_s"] for r in rs], "{:.1f}"),
                spread([r["wrk_cpu_s"] for r in rs], "{:.1f}")))
        ratios = [by[(n, "commands")]["result"]["ok_per_s"] / by[(n, "health")]["result"]["ok_per_s"]
                  for n in runs if (n, "commands") in by and (n, "health") in by]
        print("\nCommands/s ÷ /health/live req/s, per run: %s; median **%.2f** (goal ≥ 0.25)." % (
            ", ".join("%.2f" % x for x in ratios), med(ratios)))
        commands = [by[(n, "commands")]["result"] for n in runs if (n, "commands") in by]
        print("Orders placed per run: %s; completed lifecycles: %s." % (
            spread([c["orders_placed"] for c in commands]), spread([c["orders_finished"] for c in commands])))

    for phase in ("auth", "auth-control"):
        auth = [r for r in rows if r["phase"] == phase]
        if not auth:
            continue
        control = phase == "auth-control"
        runs = sorted({r["run"] for r in auth})
        by = {(r["run"], r["variant"]): r for r in auth}
        if control:
            print("\nAuthentication, A/A control (--auth-control): the same two order-commands, neither requiring a")
            print("token, the same wrk command mix against each, alternating; medians of %d runs (min-max):\n" % len(runs))
            names = (("plain", "instance A (started first)"), ("bearer", "instance B (no authentication either)"))
        else:
            print("\nAuthentication: two order-commands, one requiring a bearer JWT (RS256, a JWKS), the same wrk")
            print("command mix against each, alternating; medians of %d runs (min-max):\n" % len(runs))
            names = (("plain", "no authentication"), ("bearer", "RS256 bearer token on every command"))
        print("| variant | 2xx req/s | non-2xx | wrk p50 ms | wrk p99 ms | server CPU s |")
        print("|---|---:|---:|---:|---:|---:|")
        for variant, name in names:
            rs = [by[(n, variant)] for n in runs if (n, variant) in by]
            print("| %s | %s | %d | %s | %s | %s |" % (
                name, spread([r["result"]["ok_per_s"] for r in rs]), sum(r["result"]["non2xx"] + r["result"]["socket_errors"] for r in rs),
                spread([r["result"]["p50_ms"] for r in rs], "{:.2f}"), spread([r["result"]["p99_ms"] for r in rs], "{:.2f}"),
                spread([r["server_cpu_s"] for r in rs], "{:.1f}")))
        ratios = [by[(n, "bearer")]["result"]["ok_per_s"] / by[(n, "plain")]["result"]["ok_per_s"]
                  for n in runs if (n, "bearer") in by and (n, "plain") in by]
        if control:
            print("\nCommands/s of B ÷ A, per run: %s; median **%.2f** (no cost on either side: the spread is the noise)." % (
                ", ".join("%.2f" % x for x in ratios), med(ratios)))
        else:
            print("\nCommands/s with tokens ÷ without, per run: %s; median **%.2f** (goal ≥ 0.9)." % (
                ", ".join("%.2f" % x for x in ratios), med(ratios)))

    rate = [r for r in rows if r["phase"] == "rate"]
    if rate:
        res = [r["result"] for r in rate]
        print("\nConstant rate (constant_rate.py, open loop, latency from the intended send time), %d runs:\n" % len(res))
        print("| target cmd/s | achieved cmd/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | non-2xx | server CPU s | generator CPU s |")
        print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        print("| %s | %s | %s | %s | %s | %s | %s | %d | %s | %s |" % (
            spread([x["target_rate"] for x in res]), spread([x["achieved_rate"] for x in res]),
            spread([x["p50_ms"] for x in res], "{:.2f}"), spread([x["p90_ms"] for x in res], "{:.2f}"),
            spread([x["p99_ms"] for x in res], "{:.2f}"), spread([x["p999_ms"] for x in res], "{:.1f}"),
            spread([x["max_ms"] for x in res], "{:.1f}"), sum(x["non2xx"] + x["io_errors"] for x in res),
            spread([r["server_cpu_s"] for r in rate], "{:.1f}"), spread([x["generator_cpu_s"] for x in res], "{:.1f}")))

    generated = [r["result"] for r in rows if r["phase"] == "generate"]
    rebuild = [r for r in rows if r["phase"] == "rebuild"]
    if rebuild:
        runs = sorted({r["run"] for r in rebuild})
        by = {(r["run"], r["instance"]): r["result"] for r in rebuild}
        events = generated[0]["events"] if generated else None
        orders = generated[0]["orders"] if generated else None
        consume = [by[(n, "perf-consume")]["msgs_per_s"] for n in runs if (n, "perf-consume") in by]
        empty = [by[(n, "empty")] for n in runs if (n, "empty") in by]

        def column(kind):
            ready, fold_s, rate, ratio, per_order, seen, cpu, rss, hwm, heap, heap_order = [], [], [], [], [], [], [], [], [], [], []
            for n in runs:
                f, e, c = by.get((n, kind)), by.get((n, "empty")), by.get((n, "perf-consume"))
                if not (f and e and c):
                    continue
                seconds = f["ready_s"] - e["ready_s"]
                ready.append(f["ready_s"])
                fold_s.append(seconds)
                rate.append(f["next_offset"] / seconds)
                ratio.append(rate[-1] / c["msgs_per_s"])
                per_order.append((f["rss_kib"] - e["rss_kib"]) * 1024 / max(1, f["orders"]))
                if f["fold_seen_s"]:
                    seen.append(f["fold_seen_events"] / f["fold_seen_s"])
                cpu.append(f["cpu_s"])
                rss.append(f["rss_kib"] / 1024)
                hwm.append(f["hwm_kib"] / 1024)
                if f.get("heap_in_use_bytes") is not None and e.get("heap_in_use_bytes") is not None:
                    heap.append(f["heap_in_use_bytes"] / 2**20)
                    heap_order.append((f["heap_in_use_bytes"] - e["heap_in_use_bytes"]) / max(1, f["orders"]))
            return [spread(ready, "{:.2f}"), spread(fold_s, "{:.2f}"), "**%s**" % spread(rate), spread(seen),
                    "**%s**" % spread(ratio, "{:.3f}"), spread(cpu, "{:.1f}"), spread(rss, "{:.0f}"), spread(hwm, "{:.0f}"),
                    spread(heap, "{:.0f}"), "**%s**" % spread(heap_order), spread(per_order)]

        print("\nRebuild at start: %s events (%s orders x 10) in 1 partition, medians of %d runs (min-max).\n" % (
            "{:,}".format(events) if events else "?", "{:,}".format(orders) if orders else "?", len(empty)))
        print("Peer: `kafkawire perf consume` of the same partition, %s msgs/s; empty topic: ready after %s s, "
              "%s MiB RSS, %s MiB heap in use.\n" % (spread(consume), spread([e["ready_s"] for e in empty], "{:.2f}"),
                                spread([e["rss_kib"] / 1024 for e in empty], "{:.0f}"),
                                spread([e["heap_in_use_bytes"] / 2**20 for e in empty if e.get("heap_in_use_bytes")], "{:.1f}")))
        names = ["start -> ready (s)", "fold time = minus the empty topic's (s)", "events folded/s",
                 "events/s from the fold progress in /status", "ratio fold ÷ perf consume (goal ≥ 0.3)",
                 "instance CPU s to ready", "VmRSS after fold (MiB)", "VmHWM, peak (MiB)",
                 "heap in use after fold, glibc malloc_stats (MiB)",
                 "memory per order held, heap in use − empty's (bytes)",
                 "per order from RSS − empty's RSS (bytes; includes free heap kept after the peak)"]
        full, old = column("full"), column("old")
        print("| | log within the idempotency window | year-old log (command ids pruned) |")
        print("|---|---:|---:|")
        for name, a, b in zip(names, full, old):
            print("| %s | %s | %s |" % (name, a, b))
    print()


if __name__ == "__main__":
    main()
