#!/usr/bin/env python3
"""Notifier benchmark: notifications/s to the file sink and to a local webhook receiver,
against `kafkawire perf consume` of the same events, in the same run.

    bench.py --bootstrap HOST:PORT --notifier BIN --kafkawire BIN --topic orders.events
             --partitions 6 --orders N --webhook-url http://127.0.0.1:PORT/hook --runs 3

The topic must exist and be filled (run.sh does: generate_events.py --partitions 6, 10 events
per order, each order on its key's murmur2 partition, so every event is in effect). Expected
notifications per order: placed, confirmed, shipped, delivered (4 in 5 orders) or placed,
cancelled (1 in 5); item changes notify nobody.

Per run, in an order that rotates from run to run:
- peer: `kafkawire perf consume` of every partition from the beginning -> records/s;
- file: a release notifier with NOTIFIER_SINKS=file:PATH on a fresh SQLite ledger and a fresh
  GROUP_ID, timed from process start until GET /status (polled every 200 ms) shows
  deliveries.delivered == expected and pending == 0;
- webhook: the same with NOTIFIER_SINKS=webhook:URL against the local receiver.
Prints one JSON line per run and a summary line with the medians and the ratios
notifications/s / perf-consume records/s and events folded/s / perf-consume records/s.
Besides the end-to-end rate, each notifier run reports its phases from the /status polls:
start to the first folded batch (the group join), the fold (until every partition's folded
offset is at the end), and the deliveries after it; and the CPU seconds of the notifier, the
broker, the receiver and of everything else on the machine meanwhile (it is shared).

--limits instead runs the diagnosis once per setting: the file sink at each
--limit-concurrency, the webhook, and (--postgres-url) the file sink on PostgreSQL. In a
2-second window of the fold and a 3-second window of the deliveries after it: the
notifier's per-thread CPU (as top -H), syscalls and context switches per delivery
(perf stat), and with --perf a perf profile (by DSO and top symbols).
"""

import argparse
import http.client
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time

CLK_TCK = os.sysconf("SC_CLK_TCK")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_json(port, path, timeout=10):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read()
        return response.status, (json.loads(body) if body else None)
    finally:
        conn.close()


def cpu_seconds(pid):
    """utime + stime of a process (all its threads), in seconds."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK_TCK
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return None


def thread_cpu(pid):
    """{tid: (name, cpu ticks)} of every thread of pid."""
    result = {}
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except FileNotFoundError:
        return result
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                text = f.read()
            name = text[text.index("(") + 1:text.rindex(")")]
            fields = text.rsplit(")", 1)[1].split()
            result[tid] = (name, int(fields[11]) + int(fields[12]))
        except (FileNotFoundError, ValueError, IndexError):
            continue
    return result


def system_busy_seconds():
    """CPU seconds the whole machine spent busy (every core: user, nice, system, irq, softirq, steal)."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    return (fields[0] + fields[1] + fields[2] + fields[5] + fields[6] + fields[7]) / CLK_TCK


def rss_mib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            fields = dict(line.split(":", 1) for line in f)
        return round(int(fields["VmHWM"].split()[0]) / 1024, 1)
    except (FileNotFoundError, KeyError):
        return None


def expected_notifications(orders):
    """From generate_events.py: n % 5 == 4 is cancelled (placed, cancelled), else placed,
    confirmed, shipped, delivered."""
    return sum(2 if n % 5 == 4 else 4 for n in range(orders))


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def peer(args, records):
    """`kafkawire perf consume` of every partition from the beginning, --peer-repeats times
    back to back (one pass over a topic this small takes well under a second); the median."""
    passes = []
    for _ in range(args.peer_repeats):
        out = subprocess.run(
            [args.kafkawire, "perf", "consume", "--brokers", args.bootstrap, "--topic", args.topic,
             "--messages", str(records), "--partitions", str(args.partitions)],
            capture_output=True, text=True, check=True, timeout=600)
        passes.append(json.loads(out.stdout.strip().splitlines()[-1]))
    passes.sort(key=lambda p: p["msgs_per_s"])
    middle = passes[len(passes) // 2]
    return {"records_per_s": round(middle["msgs_per_s"]), "elapsed_s": round(middle["elapsed_s"], 3),
            "cpu_s": round(middle["cpu_s"], 3), "passes_records_per_s": [round(p["msgs_per_s"]) for p in passes]}


class Window:
    """A few seconds of one phase of a notifier run (limits mode): per-thread CPU (as top -H),
    syscall and context-switch counts (perf stat), deliveries made, and optionally a perf profile."""

    SYSCALLS = ["pwrite64", "pread64", "fdatasync", "fsync", "write", "writev", "sendmsg", "recvmsg", "read", "futex",
                "epoll_wait"]

    def __init__(self, name, pid, delivered, folded, seconds, work, label, profile):
        self.name, self.pid, self.seconds = name, pid, seconds
        self.started = time.monotonic()
        self.delivered0, self.folded0 = delivered, folded
        self.threads0 = thread_cpu(pid)
        self.cpu0 = cpu_seconds(pid)
        self.stat_file = os.path.join(work, f"perfstat-{label}-{name}.txt")
        events = ["context-switches", "cpu-migrations"] + [f"syscalls:sys_enter_{c}" for c in self.SYSCALLS]
        have_perf = shutil.which("perf") is not None
        # Without perf (apt-get install linux-perf): thread CPU and rates only.
        self.stat = subprocess.Popen(
            ["perf", "stat", "-x", ",", "-o", self.stat_file, "-e", ",".join(events), "-p", str(pid), "--",
             "sleep", str(seconds)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) if have_perf else None
        self.profile = None
        if profile and have_perf:
            self.profile = os.path.join(work, f"perf-{label}-{name}.data")
            self.record = subprocess.Popen(
                ["perf", "record", "-F", "999", "-g", "-o", self.profile, "-p", str(pid), "--", "sleep", str(seconds)],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.result = None

    def due(self):
        return self.result is None and time.monotonic() - self.started >= self.seconds

    def finish(self, delivered, folded):
        elapsed = time.monotonic() - self.started
        threads = thread_cpu(self.pid)
        busy = []
        for tid, (name, ticks) in threads.items():
            share = (ticks - self.threads0.get(tid, (name, 0))[1]) / CLK_TCK / elapsed
            if share >= 0.02:
                busy.append((round(share * 100), name, tid))
        busy.sort(reverse=True)
        made = delivered - self.delivered0
        self.result = {
            "seconds": round(elapsed, 2), "delivered": made, "notifications_per_s": round(made / elapsed),
            "events_folded_per_s": round((folded - self.folded0) / elapsed),
            "notifier_cpu_percent": round((cpu_seconds(self.pid) - self.cpu0) / elapsed * 100),
            "threads_cpu_percent": [f"{name}[{tid}] {share}%" for share, name, tid in busy[:12]],
        }

    def close(self):
        """After the notifier stopped: the perf outputs."""
        try:
            if self.stat is not None:
                self.stat.wait(30)
        except subprocess.TimeoutExpired:
            self.stat.kill()
        if self.result is None:
            return None
        counts = {}
        try:
            with open(self.stat_file) as f:
                for line in f:
                    parts = line.strip().split(",")
                    if len(parts) > 2 and parts[0].replace(".", "").isdigit():
                        counts[parts[2].replace("syscalls:sys_enter_", "")] = int(float(parts[0]))
        except FileNotFoundError:
            pass
        made = max(self.result["delivered"], 1)
        self.result["per_delivery"] = {k: round(v / made, 2) for k, v in counts.items()}
        if self.profile:
            self.record.wait(60)
            self.result["perf_by_dso"] = perf_top(self.profile, "dso", 2, 10)
            self.result["perf_top"] = perf_top(self.profile)
        return self.result


def notifier(args, label, sinks, records, expected, concurrency, diagnose=False, database_url=None):
    """One notifier on a fresh ledger (SQLite in a new directory unless database_url) and a
    fresh group; returns its timings and rates."""
    directory = os.path.join(args.work, f"{label}-{time.time_ns()}")
    os.makedirs(directory)
    port = free_port()
    env = {**os.environ,
           "KAFKA_BOOTSTRAP_SERVERS": args.bootstrap, "HTTP_LISTEN": f"127.0.0.1:{port}",
           "DATABASE_URL": database_url or f"sqlite:{directory}/ledger.sqlite", "ORDERS_DATA_DIR": directory,
           "ORDERS_TOPIC": args.topic, "GROUP_ID": f"notifier-bench-{label}-{time.time_ns()}",
           "NOTIFIER_SINKS": sinks, "NOTIFIER_CONCURRENCY": str(concurrency), "LOG_LEVEL": args.log_level}
    log = open(os.path.join(directory, "notifier.log"), "wb")
    broker_cpu0 = cpu_seconds(args.broker_pid) if args.broker_pid else None
    receiver_cpu0 = cpu_seconds(args.receiver_pid) if args.receiver_pid else None
    busy0 = system_busy_seconds()
    started = time.monotonic()
    proc = subprocess.Popen([args.notifier], env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    first_status = fold_started = fold_done = done = None
    delivered_at_fold_done = None
    timeline = []
    polls = 0
    poll_time = 0.0
    last = None
    windows = {}
    try:
        deadline = started + args.timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                sys.exit(f"bench: the notifier ({label}) exited with {proc.returncode}; see {directory}/notifier.log")
            t = time.monotonic()
            try:
                status, body = get_json(port, "/status")
            except OSError:
                status, body = None, None
            now = time.monotonic()
            if status == 200:
                polls += 1
                poll_time += now - t
                last = body
                d = body["deliveries"]
                if first_status is None:
                    first_status = now - started
                folded = sum(p["foldedOffset"] for p in body["partitions"])
                if fold_started is None and folded > 0:
                    fold_started = now - started
                if not timeline or now - started - timeline[-1][0] >= 1:
                    timeline.append((round(now - started, 1), folded, d["delivered"]))
                if fold_done is None and folded >= records:
                    fold_done = now - started
                    delivered_at_fold_done = d["delivered"]
                for window in windows.values():
                    if window.due():
                        window.finish(d["delivered"], folded)
                if d["delivered"] + d["deadLettered"] >= expected and d["pending"] == 0:
                    done = now - started
                    break
                if diagnose:
                    if fold_started is not None and fold_done is None and "fold" not in windows:
                        windows["fold"] = Window("fold", proc.pid, d["delivered"], folded, 2, args.work, label, args.perf)
                    if fold_done is not None and "deliver" not in windows and expected - d["delivered"] > 2000:
                        windows["deliver"] = Window("deliver", proc.pid, d["delivered"], folded, 3, args.work, label, args.perf)
            time.sleep(max(0.0, 0.2 - (time.monotonic() - t)))
        if done is None:
            sys.exit(f"bench: the notifier ({label}) did not deliver {expected} in {args.timeout} s: {json.dumps(last)}")
        cpu = cpu_seconds(proc.pid)
        hwm = rss_mib(proc.pid)
        busy = system_busy_seconds() - busy0
        broker_cpu = cpu_seconds(args.broker_pid) - broker_cpu0 if args.broker_pid else None
        receiver_cpu = cpu_seconds(args.receiver_pid) - receiver_cpu0 if args.receiver_pid else None
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    d = last["deliveries"]
    assert d["delivered"] == expected and d["deadLettered"] == 0, d
    result = {
        "sinks": sinks, "ledger": "postgresql" if database_url else "sqlite", "concurrency": concurrency,
        "notifications": d["delivered"], "records": records,
        "first_status_s": round(first_status, 3), "fold_started_s": round(fold_started, 3),
        "fold_done_s": round(fold_done, 3), "delivered_s": round(done, 3),
        "notifications_per_s": round(expected / done), "events_per_s": round(records / done),
        "notifications_per_s_from_fold_start": round(expected / (done - fold_started)),
        "events_folded_per_s_during_fold": round(records / (fold_done - fold_started)) if fold_done > fold_started else None,
        "delivered_at_fold_done": delivered_at_fold_done,
        "notifications_per_s_during_fold": round(delivered_at_fold_done / (fold_done - fold_started)) if fold_done > fold_started else None,
        "notifications_per_s_after_fold": (round((expected - delivered_at_fold_done) / (done - fold_done))
                                           if done > fold_done + 1 else None),
        "notifier_cpu_s": round(cpu, 2) if cpu is not None else None,
        "notifier_cpu_us_per_notification": round(cpu / expected * 1e6) if cpu is not None else None,
        "broker_cpu_s": round(broker_cpu, 2) if broker_cpu is not None else None,
        "receiver_cpu_s": round(receiver_cpu, 2) if receiver_cpu is not None else None,
        # Everything else the 2 cores did meanwhile (this script's polling, other work on the machine).
        "other_cpu_s": round(busy - (cpu or 0) - (broker_cpu or 0) - (receiver_cpu or 0), 2),
        "machine_busy_fraction": round(busy / (os.cpu_count() * done), 2),
        "notifier_vm_hwm_mib": hwm, "status_polls": polls, "status_poll_ms_avg": round(poll_time / max(polls, 1) * 1000, 1),
    }
    if sinks.startswith("file:"):
        with open(sinks[len("file:"):], "rb") as f:
            result["file_lines"] = sum(1 for _ in f)
    if diagnose:
        result["timeline_s_folded_delivered"] = timeline
        for name, window in windows.items():
            result[f"window_{name}"] = window.close()
    return result


def perf_top(data, sort="comm,dso,sym", limit=1, rows=30):
    """The top self-time entries of a perf profile, as "percent thread dso symbol" lines."""
    out = subprocess.run(
        ["perf", "report", "-i", data, "--no-children", "--sort", sort, "--stdio", "-g", "none",
         "--percent-limit", str(limit)], capture_output=True, text=True)
    result = []
    for line in out.stdout.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "%" not in line.split()[0]:
            continue
        result.append(" ".join(line.split()))
    return result[:rows]


def one_run(args, index, records, expected):
    phases = ["peer", "file", "webhook"]
    phases = phases[index % 3:] + phases[:index % 3]
    result = {"run": index, "order": phases, "orders": args.orders, "records": records, "expected_notifications": expected,
              "concurrency": args.concurrency, "receiver": args.receiver}
    for phase in phases:
        if phase == "peer":
            result["peer"] = peer(args, records)
        elif phase == "file":
            path = os.path.join(args.work, f"notifications-{index}.jsonl")
            result["file"] = notifier(args, f"file-{index}", f"file:{path}", records, expected, args.concurrency)
            os.remove(path)
        else:
            result["webhook"] = notifier(args, f"webhook-{index}", f"webhook:{args.webhook_url}", records, expected, args.concurrency)
    peer_rate = result["peer"]["records_per_s"]
    for sink in ("file", "webhook"):
        result[f"ratio_{sink}_notifications"] = round(result[sink]["notifications_per_s"] / peer_rate, 4)
        result[f"ratio_{sink}_events"] = round(result[sink]["events_per_s"] / peer_rate, 4)
    return result


def summary(runs):
    out = {"kind": "summary", "runs": len(runs), "orders": runs[0]["orders"], "records": runs[0]["records"],
           "expected_notifications": runs[0]["expected_notifications"], "concurrency": runs[0]["concurrency"],
           "receiver": runs[0]["receiver"]}

    def med(path):
        values = []
        for run in runs:
            value = run
            for key in path:
                value = value.get(key) if isinstance(value, dict) else None
            values.append(value)
        clean = [v for v in values if v is not None]
        return {"median": median(clean), "min": min(clean) if clean else None, "max": max(clean) if clean else None}

    out["peer_records_per_s"] = med(["peer", "records_per_s"])
    out["peer_cpu_s"] = med(["peer", "cpu_s"])
    for sink in ("file", "webhook"):
        out[sink] = {key: med([sink, key]) for key in (
            "delivered_s", "first_status_s", "fold_started_s", "fold_done_s", "notifications_per_s", "events_per_s",
            "notifications_per_s_from_fold_start", "events_folded_per_s_during_fold", "notifications_per_s_during_fold", "notifications_per_s_after_fold",
            "notifier_cpu_s", "notifier_cpu_us_per_notification",
            "broker_cpu_s", "receiver_cpu_s", "other_cpu_s", "machine_busy_fraction", "notifier_vm_hwm_mib", "status_poll_ms_avg")}
        out[f"ratio_{sink}_notifications"] = med([f"ratio_{sink}_notifications"])
        out[f"ratio_{sink}_events"] = med([f"ratio_{sink}_events"])
    return out


def limits(args, records, expected):
    """The diagnosis: the file sink at several concurrencies, thread CPU and a perf profile."""
    for concurrency in args.limit_concurrency:
        path = os.path.join(args.work, f"notifications-c{concurrency}.jsonl")
        result = notifier(args, f"limits-file-c{concurrency}", f"file:{path}", records, expected, concurrency,
                          diagnose=True)
        os.remove(path)
        print(json.dumps({"kind": "limits", **result}), flush=True)
    if args.webhook_url:
        result = notifier(args, "limits-webhook", f"webhook:{args.webhook_url}", records, expected, args.concurrency,
                          diagnose=True)
        print(json.dumps({"kind": "limits", **result}), flush=True)
    if args.postgres_url:
        base = args.postgres_url.rsplit("/", 1)[0]
        name = f"notifier_bench_{time.time_ns()}"
        subprocess.run([args.psql, args.postgres_url, "-qc", f"CREATE DATABASE {name}"], check=True, capture_output=True)
        path = os.path.join(args.work, "notifications-pg.jsonl")
        result = notifier(args, "limits-file-postgres", f"file:{path}", records, expected, args.concurrency,
                          diagnose=True, database_url=f"{base}/{name}")
        os.remove(path)
        print(json.dumps({"kind": "limits", **result}), flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--notifier", required=True)
    parser.add_argument("--kafkawire", required=True)
    parser.add_argument("--topic", default="orders.events")
    parser.add_argument("--partitions", type=int, default=6)
    parser.add_argument("--orders", type=int, required=True)
    parser.add_argument("--webhook-url", default="")
    parser.add_argument("--receiver", default="nginx")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", required=True)
    parser.add_argument("--broker-pid", type=int)
    parser.add_argument("--receiver-pid", type=int)
    parser.add_argument("--log-level", default="warning")
    parser.add_argument("--peer-repeats", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument("--limits", action="store_true", help="run the diagnosis instead of the measured runs")
    parser.add_argument("--limit-concurrency", type=lambda s: [int(x) for x in s.split(",")], default=[1, 4, 16, 64])
    parser.add_argument("--postgres-url", default="", help="with --limits: one more file-sink run on this PostgreSQL")
    parser.add_argument("--psql", default="psql")
    parser.add_argument("--perf", action="store_true", help="with --limits: perf record the notifier in each window")
    args = parser.parse_args()
    records = args.orders * 10
    expected = expected_notifications(args.orders)
    if args.limits:
        limits(args, records, expected)
        return
    runs = []
    for index in range(args.runs):
        run = one_run(args, index, records, expected)
        runs.append(run)
        print(json.dumps(run), flush=True)
    print(json.dumps(summary(runs)), flush=True)


if __name__ == "__main__":
    main()
