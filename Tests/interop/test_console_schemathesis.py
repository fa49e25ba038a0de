"""Contract fuzzing of the console: schemathesis, with its default checks, against the
console's own /openapi.json over real HTTP, with order-command, order-query and the notifier
running behind it (the relays and pages ask them, with the admin token the fuzzer sends, which
the console passes through) and orders in the log: no 5xx, no response
outside the document, no schema-valid request refused as malformed, no malformed one accepted,
405 for undeclared methods. Afterwards the console is still ready and logged no error. A
fixed seed keeps the run repeatable; the settings are in schemathesis-console.toml."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from console import Console
from order_query import fresh_postgres_database
from orders_cli import OrdersCLI

HERE = Path(__file__).resolve().parent
ADMIN = "console-fuzz-admin"


@pytest.mark.timeout(900)
def test_schemathesis_finds_nothing_in_the_console(broker, order_commands, order_queries, notifiers, tmp_path):
    oc = order_commands(broker)
    oq = order_queries(broker, fresh_postgres_database("console_fuzz_oq"), env={"ADMIN_TOKEN": ADMIN})
    nt = notifiers(broker, fresh_postgres_database("console_fuzz_nt"), env={"NOTIFIER_SINKS": "log", "ADMIN_TOKEN": ADMIN})
    urls = {"ORDERS_COMMAND_URL": oc.url, "ORDERS_QUERY_URL": oq.url, "ORDERS_NOTIFIER_URL": nt.url}
    cli = OrdersCLI({**urls, "KAFKA_BOOTSTRAP_SERVERS": broker.bootstrap})
    for n in range(12):
        placed = cli.json("place", "--customer", f"c-{n}", "--currency", "EUR", "--item", "TEA:1:450")
        if n % 2 == 0:
            cli.json("confirm", placed["orderId"])
    console = Console(broker.bootstrap, tmp_path / "console.log", env=urls).start()
    try:
        shutil.copy(HERE / "schemathesis-console.toml", tmp_path / "schemathesis.toml")
        st = Path(sys.executable).with_name("schemathesis")
        result = subprocess.run(
            [str(st), "run", f"{console.url}/openapi.json", "--max-examples", "40", "--seed", "1",
             "--request-timeout", "40", "--no-color", "-H", f"Authorization: Bearer {ADMIN}"],
            cwd=tmp_path, capture_output=True, text=True, timeout=840)
        output = result.stdout + result.stderr
        assert result.returncode == 0, output[-8000:]
        assert "passed" in output and "generated" in output, output[-4000:]
        console.wait_ready(30)
        log = console.log_path.read_text(errors="replace")
        assert [line for line in log.splitlines() if " error console:" in line or " critical console:" in line] == []
    finally:
        console.stop()
