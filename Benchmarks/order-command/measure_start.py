#!/usr/bin/env python3
"""Starts one order-command instance and measures how long it takes to become ready.

    measure_start.py --port 18181 --expect-orders 100000 -- .build/release/order-command --http-listen ... [flags]

Launches the command after `--`, polls GET /status on --port every 10 ms from the moment of
launch until it is ready with --partitions partitions assigned and each folded to its end
(serving), checks that /health/ready then answers 200, reads the process's memory, and stops
the instance (SIGTERM). The fold's progress in /status (nextOffset) also gives a second,
start-up-free estimate of the fold rate: from the first poll that saw it under way to ready.

(/status rather than /health/ready alone: /health/ready can answer 200 for a moment right after
the group assignment, before the assigned partitions are registered; see BENCHMARKS.md.)

Prints one JSON line:
  ready_s             launch -> the first /status that is ready with every partition serving
  ready_probe_early   true if /health/ready answered 200 at a poll before that (the race above)
  fold_seen_s/events  time and events between the first poll that saw the fold under way and ready
  orders, next_offset, void_events    from /status (checked against --expect-orders/--expect-events)
  rss_kib, hwm_kib    VmRSS one second after ready, and VmHWM (peak)
  heap_in_use_bytes   glibc's "in use bytes" (all arenas and mmaps) at that moment: gdb attaches
                      and calls malloc_stats(), which prints into the instance's log. Unlike RSS
                      it leaves out the free heap glibc keeps after the fold's peak. null when
                      gdb is missing or cannot attach.
  cpu_s               the instance's CPU seconds (user + system) up to ready
"""

import argparse
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import time


def proc_status(pid):
    values = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0])
    return values


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def heap_in_use(pid, log_path):
    """malloc_stats() called in the process by gdb; its report goes to the process's stderr (the log)."""
    if not shutil.which("gdb") or log_path == os.devnull:
        return None
    before = os.path.getsize(log_path)
    subprocess.run(["gdb", "-p", str(pid), "-batch", "-ex", "call (void)malloc_stats()"],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
    with open(log_path, "rb") as f:
        f.seek(before)
        text = f.read().decode("utf-8", "replace")
    total = text.rfind("Total (incl. mmap):")
    if total < 0:
        return None
    for line in text[total:].splitlines():
        if line.startswith("in use bytes"):
            return int(line.split("=")[1])
    return None


def get(port, path, timeout=2.0):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--partitions", type=int, default=1, help="partitions the instance must own before it counts as ready")
    ap.add_argument("--timeout", type=float, default=300)
    ap.add_argument("--log", default=os.devnull, help="file for the instance's output")
    ap.add_argument("--expect-orders", type=int)
    ap.add_argument("--expect-events", type=int)
    ap.add_argument("command", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command

    log = open(args.log, "ab")
    t0 = time.monotonic()
    proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    first_seen = None   # (time, folded) of the first poll that saw folding under way
    ready_at = None
    early = False
    try:
        while time.monotonic() - t0 < args.timeout:
            if proc.poll() is not None:
                sys.exit("measure_start: order-command exited with %d (log: %s)" % (proc.returncode, args.log))
            try:
                status, text = get(args.port, "/status")
            except OSError:
                status, text = None, ""
            now = time.monotonic()
            if status == 200:
                body = json.loads(text)
                partitions = body["partitions"]
                folded = sum(p["nextOffset"] for p in partitions)
                if first_seen is None and folded > 0:
                    first_seen = (now, folded)
                if body["ready"] and len(partitions) >= args.partitions and all(p["serving"] for p in partitions):
                    ready_at = now
                    break
                if body["ready"] and not early:
                    try:
                        early = get(args.port, "/health/ready")[0] == 200
                    except OSError:
                        pass
            time.sleep(0.01)
        if ready_at is None:
            sys.exit("measure_start: not ready within %.0f s (log: %s)" % (args.timeout, args.log))
        if get(args.port, "/health/ready")[0] != 200:
            sys.exit("measure_start: /status says ready but /health/ready does not answer 200")
        cpu = cpu_seconds(proc.pid)
        time.sleep(1.0)
        memory = proc_status(proc.pid)
        heap = heap_in_use(proc.pid, args.log)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        log.close()

    orders = sum(p["orders"] for p in partitions)
    next_offset = sum(p["nextOffset"] for p in partitions)
    void = sum(p["voidEvents"] for p in partitions)
    result = {
        "kind": "start", "ready_s": round(ready_at - t0, 3), "orders": orders, "next_offset": next_offset,
        "void_events": void, "rss_kib": memory.get("VmRSS"), "hwm_kib": memory.get("VmHWM"), "heap_in_use_bytes": heap, "cpu_s": round(cpu, 3), "ready_probe_early": early,
        "fold_seen_s": round(ready_at - first_seen[0], 3) if first_seen else None,
        "fold_seen_events": next_offset - first_seen[1] if first_seen else None,
    }
    print(json.dumps(result))
    if args.expect_orders is not None and orders != args.expect_orders:
        sys.exit("measure_start: %d orders folded, expected %d" % (orders, args.expect_orders))
    if args.expect_events is not None and (next_offset != args.expect_events or void):
        sys.exit("measure_start: folded to %d with %d void, expected %d in effect" % (next_offset, void, args.expect_events))


if __name__ == "__main__":
    main()
