#!/usr/bin/env python3
"""OrderQuery benchmark: the projection's fold rate on PostgreSQL against a plain COPY of the
same number of rows of the same shape into the same database, in the same run; the time and
memory of a rebuild of the whole log.

    bench.py --bootstrap HOST:PORT --database-url postgres://... --order-query BIN --psql BIN
             --topic rebuild.events --runs 3

The topic must exist and be filled (run.sh does: generate_events.py, 10 events per order, one
partition, or --partitions N). Per run: a fresh database; an order-query (release) is started
and folds the topic live: timed from its start (the process spawned) to every partition
stored to its end (from /projection), start-up included, as a user starting the service
against a backlog sees it; also from its first stored batch, over the records after that
batch. Then POST /admin/rebuild folds it again into a new generation: timed from the request
to the answer that it is live (start-up included), and by the server's own startedAt..swappedAt;
peak RSS sampled from /proc;
then the peer: the rebuilt generation's events table is copied out once, and COPY FROM STDIN
of those rows into a fresh table of the same shape is timed with psql; and a stricter peer,
COPY of every row the fold stored (the generation's four tables, `copy_everything`). Each
phase also reports its batches from order-query's /metrics. Prints JSON lines.
"""

import argparse
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(port, path, method="GET", headers=None):
    """The status and the raw body."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request(method, path, headers=headers or {})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, body


def get(port, path, method="GET", headers=None):
    status, body = fetch(port, path, method, headers)
    return status, (json.loads(body) if body else None)


def wait(condition, what, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except OSError:
            pass
        time.sleep(0.05)
    sys.exit(f"bench: timed out waiting for {what}")


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        fields = dict(line.split(":", 1) for line in f)
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


def cpu_seconds(pid, children=False):
    """utime + stime of a process (with `children`, also of its reaped children), in seconds."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])
    if children:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / os.sysconf("SC_CLK_TCK")


def postgres_cpu_seconds(pid_file):
    """CPU of the whole PostgreSQL server: the postmaster, its reaped backends, and its live
    children (backends, checkpointer, WAL writer)."""
    if not pid_file:
        return 0.0
    with open(pid_file) as f:
        postmaster = int(f.readline())
    total = cpu_seconds(postmaster, children=True)
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            if ppid == postmaster:
                total += cpu_seconds(int(entry))
        except (OSError, ValueError):
            continue
    return total


def psql(args, database_url, sql, stdin=None):
    return subprocess.run([args.psql, database_url, "-v", "ON_ERROR_STOP=1", "-qAt", "-c", sql],
                          input=stdin, capture_output=True, check=True)


def batch_totals(port):
    """order-query's batches so far, from /metrics: (count, records, seconds applying). The live
    projection and rebuilds share the histograms, so a phase's figures are differences."""
    values = {}
    for line in fetch(port, "/metrics")[1].decode().splitlines():
        if line.startswith(("order_query_batch_size_records_count", "order_query_batch_size_records_sum",
                            "order_query_apply_latency_seconds_sum")):
            name, _, value = line.rpartition(" ")
            values[name.split("{")[0]] = float(value)
    return (values.get("order_query_batch_size_records_count", 0.0), values.get("order_query_batch_size_records_sum", 0.0),
            values.get("order_query_apply_latency_seconds_sum", 0.0))


def batch_figures(before, after):
    count, records, seconds = (a - b for a, b in zip(after, before))
    return {"batches": int(count), "mean_records": round(records / count) if count else None,
            "applying_s": round(seconds, 3)}


def settle(args, url):
    """Between timed phases: the tables the phase before wrote are vacuumed and analyzed, a
    checkpoint is taken and the kernel's dirty pages are written out, so that no autovacuum of
    them, checkpoint or writeback falls into the next phase at random (each moved a phase by up
    to half a second)."""
    psql(args, url, "VACUUM (ANALYZE)")
    psql(args, url, "CHECKPOINT")
    os.sync()


TABLES = ["orders", "order_events", "customers"]


def dump_generation(args, url, generation):
    """The generation's four tables copied out, once for both peers: {table: (file, rows)}.
    The caller removes the files (all in the run's work directory, which run.sh removes)."""
    dumps = {}
    for name in TABLES:
        source = f"order_query.{name}_g{generation}"
        with tempfile.NamedTemporaryFile(dir=args.work, suffix=".copy", delete=False) as dump:
            subprocess.run([args.psql, url, "-qAt", "-c", f"COPY {source} TO STDOUT"], stdout=dump, check=True)
        dumps[name] = (dump.name, int(psql(args, url, f"SELECT count(*) FROM {source}").stdout))
    return dumps


def copy_everything(args, url, generation, dumps):
    """A second, stricter peer: COPY of every row the rebuild wrote (orders with their items,
    the events, the customers: the generation's three tables, into copies with the same keys and
    indexes), one COPY after the other in one psql session, timed. It shows how far the fold is
    from what the database itself needs to store the same rows."""
    for name in TABLES:
        psql(args, url, f"DROP TABLE IF EXISTS copy_all_{name}; "
                        f"CREATE TABLE copy_all_{name} (LIKE order_query.{name}_g{generation} INCLUDING ALL)")
    script = "\n".join(f"\\copy copy_all_{name} FROM '{dumps[name][0]}'" for name in TABLES)
    settle(args, url)
    started = time.monotonic()
    subprocess.run([args.psql, url, "-v", "ON_ERROR_STOP=1", "-qAt"], input=script.encode(), check=True, capture_output=True)
    seconds = time.monotonic() - started
    for name in TABLES:
        copied = int(psql(args, url, f"SELECT count(*) FROM copy_all_{name}").stdout)
        assert copied == dumps[name][1], (name, copied, dumps[name][1])
        psql(args, url, f"DROP TABLE copy_all_{name}")
    return {"seconds": round(seconds, 3), "rows": {name: dumps[name][1] for name in TABLES}}


def one_run(args, index):
    base = args.database_url.rsplit("/", 1)[0]
    name = f"oq_bench_{index}"
    psql(args, f"{base}/postgres", f"DROP DATABASE IF EXISTS {name}")
    psql(args, f"{base}/postgres", f"CREATE DATABASE {name}")
    url = f"{base}/{name}"
    # Each timed phase starts with no dirty buffers, no checkpoint under way, nothing to write back.
    psql(args, url, "CHECKPOINT")
    os.sync()
    port = free_port()
    env = {**os.environ, "KAFKA_BOOTSTRAP_SERVERS": args.bootstrap, "HTTP_LISTEN": f"127.0.0.1:{port}",
           "DATABASE_URL": url, "ORDERS_TOPIC": args.topic, "ADMIN_TOKEN": "bench", "RETIRE_GRACE_MS": "0",
           "GROUP_ID": f"oq-bench-{index}-{time.time_ns()}", "LOG_LEVEL": "notice"}
    log = open(os.path.join(args.work, f"order-query-{index}.log"), "wb")
    spawned = time.monotonic()
    proc = subprocess.Popen([args.order_query], env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        end = None

        def assigned():
            nonlocal end
            status, body = get(port, "/projection")
            if len(body["partitions"]) < args.partitions:
                return False
            end = sum(p["endOffset"] for p in body["partitions"])
            return status == 200 and sum(p["storedOffset"] for p in body["partitions"]) > 0

        wait(assigned, "the live fold to start", 120)
        started = time.monotonic()
        # The clock starts at the first stored batch: the events of that batch are not timed.
        first_stored = sum(p["storedOffset"] for p in get(port, "/projection")[1]["partitions"])
        cpu_before = (cpu_seconds(proc.pid), postgres_cpu_seconds(args.postmaster_pid))
        batches_before = batch_totals(port)
        wait(lambda: sum(p["storedOffset"] for p in get(port, "/projection")[1]["partitions"]) >= end, "the live fold", 1800)
        caught_up = time.monotonic()
        live_seconds = caught_up - started
        live_from_start = caught_up - spawned
        live_cpu = (cpu_seconds(proc.pid) - cpu_before[0], postgres_cpu_seconds(args.postmaster_pid) - cpu_before[1])
        live_batches = batch_figures(batches_before, batch_totals(port))
        settle(args, url)
        batches_before = batch_totals(port)
        cpu_before = (cpu_seconds(proc.pid), postgres_cpu_seconds(args.postmaster_pid))

        requested = time.monotonic()
        status, body = get(port, "/admin/rebuild", "POST", {"Authorization": "Bearer bench"})
        assert status == 202, body
        rebuild_id = body["id"]
        peak = 0
        last = body

        def rebuilt():
            nonlocal peak, last
            peak = max(peak, rss_kib(proc.pid)[0])
            last = get(port, f"/admin/rebuild/{rebuild_id}", headers={"Authorization": "Bearer bench"})[1]
            return last["status"] == "live"

        wait(rebuilt, "the rebuild", 3600)
        rebuild_from_request = time.monotonic() - requested
        rebuild_cpu = (cpu_seconds(proc.pid) - cpu_before[0], postgres_cpu_seconds(args.postmaster_pid) - cpu_before[1])
        rebuild_batches = batch_figures(batches_before, batch_totals(port))
        rebuild_seconds = (parse_ms(last["swappedAt"]) - parse_ms(last["startedAt"])) / 1000
        events = last["eventsApplied"]
        rss, hwm = rss_kib(proc.pid)

        # The peer: COPY of the same rows, same shape, same database.
        table = f"order_query.order_events_g{last['generation']}"
        dumps = dump_generation(args, url, last["generation"])
        try:
            psql(args, url, f"DROP TABLE IF EXISTS copy_peer; CREATE TABLE copy_peer (LIKE {table} INCLUDING ALL)")
            settle(args, url)
            with open(dumps["order_events"][0], "rb") as dump:
                copy_started = time.monotonic()
                subprocess.run([args.psql, url, "-v", "ON_ERROR_STOP=1", "-qAt", "-c", "COPY copy_peer FROM STDIN"],
                               stdin=dump, check=True, capture_output=True)
                copy_seconds = time.monotonic() - copy_started
            rows = int(psql(args, url, "SELECT count(*) FROM copy_peer").stdout)
            assert rows == events, (rows, events)
            everything = copy_everything(args, url, last["generation"], dumps)
        finally:
            for path, _ in dumps.values():
                os.unlink(path)
        copy_rate = rows / copy_seconds
        return {"run": index, "records": end, "events": events, "partitions": args.partitions,
                "live_from_start_s": round(live_from_start, 3),
                "ratio_live_from_start": round(end / live_from_start / copy_rate, 3),
                "rebuild_from_request_s": round(rebuild_from_request, 3),
                "ratio_rebuild_from_request": round(events / rebuild_from_request / copy_rate, 3),
                "live_fold_s": round(live_seconds, 3), "live_timed_records": end - first_stored,
                "live_events_per_s": round((end - first_stored) / live_seconds),
                "rebuild_s": round(rebuild_seconds, 3), "rebuild_events_per_s": round(events / rebuild_seconds),
                "copy_s": round(copy_seconds, 3), "copy_rows_per_s": round(rows / copy_seconds),
                "ratio_live": round((end - first_stored) / live_seconds / (rows / copy_seconds), 3),
                "ratio_rebuild": round(events / rebuild_seconds / (rows / copy_seconds), 3),
                "live_cpu_s": {"order_query": round(live_cpu[0], 2), "postgres": round(live_cpu[1], 2)},
                "rebuild_cpu_s": {"order_query": round(rebuild_cpu[0], 2), "postgres": round(rebuild_cpu[1], 2)},
                "live_batches": live_batches, "rebuild_batches": rebuild_batches,
                "copy_everything": everything,
                "ratio_rebuild_to_copy_everything": round(everything["seconds"] / rebuild_seconds, 3),
                "peak_rss_during_rebuild_mib": round(peak / 1024, 1), "vm_hwm_mib": round(hwm / 1024, 1)}
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()


def parse_ms(text):
    from datetime import datetime
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").timestamp() * 1000


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--order-query", required=True)
    parser.add_argument("--psql", required=True)
    parser.add_argument("--topic", default="rebuild.events")
    parser.add_argument("--partitions", type=int, default=1, help="the topic's partition count")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", default=tempfile.gettempdir())
    parser.add_argument("--postmaster-pid", help="the server's postmaster.pid, for its CPU time")
    args = parser.parse_args()
    for index in range(args.runs):
        print(json.dumps(one_run(args, index)), flush=True)


if __name__ == "__main__":
    main()
