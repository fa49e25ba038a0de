"""Shared helpers for the kafkawire interop suite: broker process control and client utilities.

Everything here talks to the broker only over the Kafka protocol (real clients or raw sockets).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

from confluent_kafka import Consumer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic


def kafkawire_bin() -> str:
    path = os.environ.get("KAFKAWIRE_BIN")
    if not path:
        raise RuntimeError(
            "KAFKAWIRE_BIN is not set: point it at the kafkawire executable "
            "(scripts/test does this: $(swift build --show-bin-path)/kafkawire)"
        )
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        raise RuntimeError(f"KAFKAWIRE_BIN={path} is not an executable file")
    return path


def kcat_bin() -> str:
    path = os.environ.get("KCAT") or shutil.which("kcat") or shutil.which("kafkacat")
    if not path:
        raise RuntimeError("kcat not found on PATH (apt-get install kcat)")
    return path


def free_ports(count: int) -> list[int]:
    """`count` different free ports: each socket stays bound until all are chosen, so two calls
    of `free_port()` cannot hand the same port to two listeners of one process."""
    sockets = []
    try:
        for _ in range(count):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sockets.append(s)
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def free_port() -> int:
    return free_ports(1)[0]


def port_accepts(port: int, timeout: float = 0.5, host: str = "127.0.0.1") -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def wait_until(condition, what: str, timeout: float = 60.0, step=None, detail=lambda: "") -> None:
    """Waits until `condition()` holds, failing after `timeout` with `what` and `detail()`.

    The one place tests poll: they wait for what they need, never for a guessed time, so a slow
    machine only makes them slower; the timeout only bounds how long a real failure takes.
    `step` runs between checks (e.g. a librdkafka poll that serves callbacks); by default a
    50 ms pause between checks.
    """
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}{detail()}")
        if step is not None:
            step()
        else:
            time.sleep(0.05)


class BrokerDied(AssertionError):
    pass


class Broker:
    """A `kafkawire broker` child process on 127.0.0.1:<port> (or `host`) with a data dir that
    survives restarts; `advertise` (HOST:PORT) is what it tells clients, and then its bootstrap."""

    def __init__(self, data_dir: Path, log_path: Path, port: int | None = None, extra_args=(),
                 host: str = "127.0.0.1", advertise: str | None = None):
        self.binary = kafkawire_bin()
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.log_path = Path(log_path)
        self.host = host
        self.port = port or free_port()
        self.advertise = advertise
        self.extra_args = list(extra_args)
        self.log_level = os.environ.get("KAFKAWIRE_LOG_LEVEL", "info")
        self.proc: subprocess.Popen | None = None
        self.starts = 0
        self.exit_expected = False  # set by stop()/kill9(): an exit the test asked for

    @property
    def bootstrap(self) -> str:
        return self.advertise or f"{self.host}:{self.port}"

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def command(self) -> list[str]:
        return [
            self.binary, "broker",
            "--listen", f"{self.host}:{self.port}",
            *(["--advertise", self.advertise] if self.advertise else []),
            "--data-dir", str(self.data_dir),
            "--log-level", self.log_level,
            *self.extra_args,
        ]

    def start(self, timeout: float = 30.0) -> None:
        assert self.proc is None or self.proc.poll() is not None, "broker already running"
        self.starts += 1
        self.exit_expected = False
        with open(self.log_path, "ab") as log:
            log.write(f"\n===== start #{self.starts}: {' '.join(self.command())}\n".encode())
            log.flush()
            self.proc = subprocess.Popen(
                self.command(), stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.wait_ready(timeout)

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            code = self.proc.poll()
            if code is not None:
                raise BrokerDied(
                    f"kafkawire exited with status {code} before accepting connections on {self.bootstrap}\n"
                    f"--- broker log (tail) ---\n{self.log_tail()}"
                )
            if port_accepts(self.port, timeout=0.2, host=self.host):
                return
            time.sleep(0.05)
        raise BrokerDied(
            f"kafkawire did not accept connections on {self.bootstrap} within {timeout:.0f}s\n"
            f"--- broker log (tail) ---\n{self.log_tail()}"
        )

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def assert_alive(self, what: str = "") -> None:
        if not self.running():
            code = self.proc.poll() if self.proc else None
            raise BrokerDied(
                f"kafkawire is not running{(' ' + what) if what else ''} (exit status {code})\n"
                f"--- broker log (tail) ---\n{self.log_tail()}"
            )

    def died_unexpectedly(self) -> bool:
        return self.proc is not None and self.proc.poll() is not None and not self.exit_expected

    def stop(self, timeout: float = 15.0, strict: bool = True) -> int | None:
        """Graceful stop: SIGTERM, then SIGKILL after `timeout`. Returns the exit status.

        strict: raise if the broker needed SIGKILL or exited with a status other than 0 / SIGTERM.
        """
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.poll() if self.proc else None
        self.exit_expected = True
        self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)
            if strict:
                raise AssertionError(f"kafkawire did not exit within {timeout:.0f}s of SIGTERM; killed it")
            return None
        if strict and code not in (0, -signal.SIGTERM):
            raise AssertionError(f"kafkawire exited with status {code} after SIGTERM\n{self.log_tail()}")
        return code

    def kill9(self) -> None:
        self.assert_alive("when the test wanted to kill -9 it")
        self.exit_expected = True
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)

    def restart(self, hard: bool = False, timeout: float = 30.0) -> None:
        """Stop (SIGTERM, or SIGKILL if hard) and start again on the same port and data dir."""
        if hard:
            self.kill9()
        else:
            self.stop()
        self.start(timeout)

    def status_kib(self, field: str) -> int | None:
        """A memory figure (VmRSS, VmHWM, ...) from /proc/<pid>/status, in KiB."""
        try:
            for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
                if line.startswith(field + ":"):
                    return int(line.split()[1])
        except (OSError, ValueError, AttributeError):
            return None
        return None

    def log_tail(self, lines: int = 60) -> str:
        try:
            data = self.log_path.read_bytes()
        except OSError:
            return "(no log)"
        text = data[-64 * 1024:].decode("utf-8", "replace")
        return "\n".join(text.splitlines()[-lines:])


# ------------------------------------------------------------------ confluent-kafka helpers

def admin(bootstrap: str) -> AdminClient:
    return AdminClient({"bootstrap.servers": bootstrap, "socket.timeout.ms": 10000})


def wait_for_topic(bootstrap: str, topic: str, partitions: int, timeout: float = 20.0) -> None:
    """Waits until metadata shows `topic` with exactly `partitions` partitions, each with a leader."""
    client = admin(bootstrap)
    deadline = time.monotonic() + timeout
    last = "no metadata"
    while time.monotonic() < deadline:
        try:
            md = client.list_topics(topic=topic, timeout=5)
            t = md.topics.get(topic)
            if t is None:
                last = "topic missing from metadata"
            elif t.error is not None:
                last = f"topic error {t.error}"
            elif len(t.partitions) != partitions:
                last = f"{len(t.partitions)} partitions"
            elif any(p.leader < 0 or p.error is not None for p in t.partitions.values()):
                last = "partition without leader"
            else:
                return
        except Exception as e:  # noqa: BLE001 - report the last reason on timeout
            last = repr(e)
        time.sleep(0.2)
    raise AssertionError(f"topic {topic!r} not ready with {partitions} partitions after {timeout}s: {last}")


def create_topic(bootstrap: str, topic: str, partitions: int, timeout: float = 20.0) -> None:
    """CreateTopics through confluent-kafka's AdminClient, then wait for the metadata."""
    client = admin(bootstrap)  # keep a reference: the request dies with the handle
    futures = client.create_topics(
        [NewTopic(topic, num_partitions=partitions, replication_factor=1)],
        operation_timeout=15, request_timeout=15,
    )
    futures[topic].result(timeout)
    wait_for_topic(bootstrap, topic, partitions, timeout)


def consume_all(bootstrap: str, topic: str, partitions: int, timeout: float = 40.0, start_offsets=None):
    """Reads every partition from the beginning (or start_offsets[p]) up to its high watermark.

    Returns {partition: [confluent_kafka.Message, ...]} in log order. Uses assign(), so no group
    membership is involved (a unique group.id is set only because librdkafka wants one for assign).
    """
    consumer = Consumer({
        "bootstrap.servers": bootstrap,
        "group.id": f"interop-reader-{os.getpid()}-{time.monotonic_ns()}",
        "enable.auto.commit": False,
        "enable.auto.offset.store": False,
        "auto.offset.reset": "earliest",
        "enable.partition.eof": True,
    })
    try:
        highs = {}
        for p in range(partitions):
            low, high = consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10)
            highs[p] = high
        start = {p: (start_offsets or {}).get(p, -2) for p in range(partitions)}  # -2 = OFFSET_BEGINNING
        out = {p: [] for p in range(partitions)}
        pending = {p for p in range(partitions) if highs[p] > max(start[p], 0)}
        consumer.assign([TopicPartition(topic, p, start[p]) for p in range(partitions)])
        deadline = time.monotonic() + timeout
        while pending and time.monotonic() < deadline:
            for msg in consumer.consume(num_messages=10000, timeout=0.5):
                if msg.error():
                    if msg.error().code() == -191:  # _PARTITION_EOF
                        continue
                    raise AssertionError(f"consume error on {topic}[{msg.partition()}]: {msg.error()}")
                out[msg.partition()].append(msg)
                if msg.offset() + 1 >= highs[msg.partition()]:
                    pending.discard(msg.partition())
        if pending:
            got = {p: len(out[p]) for p in sorted(pending)}
            raise AssertionError(
                f"timed out reading {topic}: partitions {sorted(pending)} did not reach their high "
                f"watermarks {[highs[p] for p in sorted(pending)]}; got {got} messages")
        return out
    finally:
        consumer.close()


def run(cmd, *, input: bytes | None = None, timeout: float = 60.0, check: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run(cmd, input=input, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          timeout=timeout, stdin=None if input is not None else subprocess.DEVNULL)
    if check and proc.returncode != 0:
        raise AssertionError(
            f"command failed with status {proc.returncode}: {' '.join(map(str, cmd))}\n"
            f"--- stderr ---\n{proc.stderr.decode('utf-8', 'replace')[-4000:]}")
    return proc
