"""The `orders` command line run as a child process, for the CLI acceptance tests.

- run_orders: one `orders` invocation with its own environment (the addresses the CLI reads:
  ORDERS_COMMAND_URL, ORDERS_QUERY_URL, ORDERS_NOTIFIER_URL, KAFKA_BOOTSTRAP_SERVERS,
  ADMIN_TOKEN), stdout and stderr captured as text, never a terminal (so no colour).
- OrdersCLI: the same with the environment bound, and the checks every test makes: a success
  (status 0, nothing on stderr), its JSON (one value, or JSON lines), or a failure (exactly
  one stderr line starting with "orders: ", and the exit code).
"""

from __future__ import annotations

import json
import os
import re
import subprocess

from service_process import service_bin

# What a command prints without --json: "<what> order <id>: version <v>, position <p>:<o>".
COMMAND_LINE = re.compile(
    r"^(?P<what>placed|added \S+ to|removed \S+ from|confirmed|shipped|delivered|cancelled) "
    r"order (?P<orderId>\S+): version (?P<version>\d+), position (?P<position>\d+:\d+)$")

# The variables the CLI reads; a test run never inherits them from the shell that started it.
CLI_VARIABLES = ("ORDERS_COMMAND_URL", "ORDERS_QUERY_URL", "ORDERS_NOTIFIER_URL", "ORDERS_CONSOLE_URL", "KAFKA_BOOTSTRAP_SERVERS",
                 "ADMIN_TOKEN", "ORDERS_TOKEN", "ORDERS_TOPIC", "ORDERS_DATA_DIR", "LOG_LEVEL", "KAFKA_SECURITY_PROTOCOL",
                 "KAFKA_SASL_MECHANISM", "KAFKA_SASL_USERNAME", "KAFKA_SASL_PASSWORD", "KAFKA_SASL_PASSWORD_FILE",
                 "KAFKA_SASL_OAUTHBEARER_TOKEN_FILE", "KAFKA_SSL_CA_LOCATION", "KAFKA_SSL_CERTIFICATE_LOCATION",
                 "KAFKA_SSL_KEY_LOCATION", "KAFKA_SSL_KEY_PASSWORD", "KAFKA_SSL_ENDPOINT_IDENTIFICATION_ALGORITHM")


def orders_bin() -> str:
    return service_bin("orders", "ORDERS_BIN")


def cli_env(env: dict | None = None) -> dict:
    base = {k: v for k, v in os.environ.items() if k not in CLI_VARIABLES}
    return {**base, "NO_COLOR": "1", **{k: str(v) for k, v in (env or {}).items()}}


def run_orders(args, env: dict | None = None, timeout: float = 120.0) -> subprocess.CompletedProcess:
    """Runs `orders ARGS` to its end (stdin closed); raises subprocess.TimeoutExpired (after
    killing it) when it takes longer than `timeout`."""
    return subprocess.run([orders_bin(), *map(str, args)], env=cli_env(env), stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout, text=True,
                          encoding="utf-8", errors="replace")


def describe(proc: subprocess.CompletedProcess) -> str:
    return (f"`orders {' '.join(proc.args[1:])}` exited {proc.returncode}\n"
            f"--- stdout ---\n{proc.stdout[-4000:]}\n--- stderr ---\n{proc.stderr[-4000:]}")


def error_line(proc: subprocess.CompletedProcess, code: int | None = None) -> str:
    """The one stderr line of a failed run (checked: non-zero status, or `code`; exactly one
    line; it starts with "orders: ")."""
    if code is None:
        assert proc.returncode != 0, describe(proc)
    else:
        assert proc.returncode == code, f"expected exit {code}: " + describe(proc)
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, f"expected exactly one line on stderr, got {len(lines)}: " + describe(proc)
    assert lines[0].startswith("orders: "), describe(proc)
    return lines[0]


class OrdersCLI:
    """`orders` with a fixed environment."""

    def __init__(self, env: dict, timeout: float = 120.0):
        self.env = dict(env)
        self.timeout = timeout

    def run(self, *args, timeout: float | None = None) -> subprocess.CompletedProcess:
        return run_orders(args, env=self.env, timeout=timeout or self.timeout)

    def ok(self, *args, timeout: float | None = None) -> str:
        """Stdout of a run that must succeed and say nothing on stderr."""
        proc = self.run(*args, timeout=timeout)
        assert proc.returncode == 0 and proc.stderr == "", describe(proc)
        return proc.stdout

    def json(self, *args, timeout: float | None = None):
        """The one JSON value a --json run prints (on one line)."""
        out = self.ok(*args, "--json", timeout=timeout)
        lines = out.splitlines()
        assert len(lines) == 1, f"expected one JSON line from orders {' '.join(args)}, got {len(lines)}:\n{out[-4000:]}"
        return json.loads(lines[0])

    def json_lines(self, *args, timeout: float | None = None) -> list:
        """Every line of a --json stream, each parsed on its own."""
        out = self.ok(*args, "--json", timeout=timeout)
        return [json.loads(line) for line in out.splitlines()]

    def command_line(self, *args, timeout: float | None = None) -> dict:
        """A command run without --json: its one human line, parsed."""
        out = self.ok(*args, timeout=timeout)
        lines = out.splitlines()
        assert len(lines) == 1, f"expected one line from orders {' '.join(args)}:\n{out}"
        match = COMMAND_LINE.match(lines[0])
        assert match, f"unexpected line from orders {' '.join(args)}: {lines[0]!r}"
        return {"what": match["what"], "orderId": match["orderId"], "version": int(match["version"]),
                "position": match["position"]}

    def fails(self, *args, code: int | None = None, timeout: float | None = None) -> str:
        return error_line(self.run(*args, timeout=timeout), code)
