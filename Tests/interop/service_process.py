"""A service executable (order-command, order-query, ...) run as a child process on a free port,
with start / wait_ready / kill9 / stop / log_tail. Subclasses name the binary and default env.

With `exact_env`, the process gets only `env` on top of the test's own environment (no test
defaults): the compose-environment test passes docker-compose.yml's settings that way, with
`host` the loopback address its host name maps to and `url_host` that name."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

from helpers import free_port, port_accepts, wait_until


def service_bin(name: str, env_var: str) -> str:
    path = os.environ.get(env_var)
    if not path and os.environ.get("KAFKAWIRE_BIN"):
        path = str(Path(os.environ["KAFKAWIRE_BIN"]).with_name(name))
    if not path or not os.access(path, os.X_OK):
        raise RuntimeError(f"{name} not found ({env_var}={path}); scripts/test sets it")
    return path


class ServiceProcess:
    name = "service"
    bin_env = ""
    default_env: dict = {}

    def __init__(self, bootstrap: str, log_path: Path, port: int | None = None, env: dict | None = None, args=(),
                 host: str = "127.0.0.1", url_host: str | None = None, exact_env: bool = False):
        self.bootstrap = bootstrap
        self.host = host
        self.url_host = url_host or host
        self.exact_env = exact_env
        self.port = port or free_port()
        self.log_path = Path(log_path)
        self.env = env or {}
        self.args = list(args)
        self.proc: subprocess.Popen | None = None
        # A bearer token the helpers' requests carry (a service run with authentication on).
        self.bearer: str | None = None

    @property
    def url(self) -> str:
        return f"http://{self.url_host}:{self.port}"

    def client(self, timeout: float = 30.0):
        from order_command import Client
        client = Client(self.port, timeout=timeout, host=self.host)
        if self.bearer:
            client.default_headers = {"Authorization": f"Bearer {self.bearer}"}
        return client

    def start(self, ready_timeout: float = 90.0):
        if self.exact_env:
            env = {**os.environ, **self.env}
        else:
            env = {**os.environ, "KAFKA_BOOTSTRAP_SERVERS": self.bootstrap, "HTTP_LISTEN": f"{self.host}:{self.port}",
                   "SESSION_TIMEOUT_MS": "6000", "LOG_LEVEL": "info", **self.default_env, **self.env}
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen([service_bin(self.name, self.bin_env), *self.args], env=env, stdin=subprocess.DEVNULL,
                                         stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        if ready_timeout:
            self.wait_ready(ready_timeout)
        return self

    def wait_ready(self, timeout: float = 90.0) -> None:
        client = self.client(timeout=5)
        last = None

        def ready() -> bool:
            nonlocal last
            if self.proc.poll() is not None:
                raise AssertionError(f"{self.name} exited with {self.proc.returncode}\n{self.log_tail()}")
            if not port_accepts(self.port, timeout=0.2, host=self.host):
                return False
            try:
                last = client.request("GET", "/health/ready")
            except OSError:
                return False
            return last.status == 200

        wait_until(ready, f"{self.name} to be ready", timeout, detail=lambda: f" (last: {last and last.body})\n{self.log_tail()}")
        client.close()

    def kill9(self) -> None:
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)

    def log_tail(self, lines: int = 60) -> str:
        try:
            text = self.log_path.read_bytes()[-64 * 1024:].decode("utf-8", "replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])
