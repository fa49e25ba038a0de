"""Contract fuzzing of the Notifier: schemathesis, with its default checks, against the service's
own /openapi.json over real HTTP, with the admin token, on a ledger with notifications in it:
no 5xx, no response outside the document, no schema-valid request refused, no malformed one
accepted. Afterwards the process is still ready, every notification reads as before (fuzzed
replays may send some again, which is allowed), and it logged no error. A fixed seed keeps the
run repeatable; the settings are in schemathesis-notifier.toml.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from notifier import error_lines, notifier_env
from order_query import History, create_topic

HERE = Path(__file__).resolve().parent
PARTITIONS = 6


@pytest.mark.timeout(600)
@pytest.mark.parametrize("authentication", [False, True], ids=["admin-token", "bearer"])
def test_schemathesis_finds_nothing_in_the_notifier(broker, database_url, notifiers, tmp_path, authentication):
    """With authentication on, schemathesis sends a token with the roles staff and admin (its
    ignored-auth check sends none, and expects the 401)."""
    create_topic(broker.bootstrap, PARTITIONS)
    env, token = notifier_env("log", tmp_path / "fuzz.jsonl", admin_token="fuzz-token"), "fuzz-token"
    if authentication:
        from auth_tokens import hs256_authentication
        auth_env, token = hs256_authentication(tmp_path)
        env.update(auth_env)
    notifier = notifiers(broker, database_url, env=env)
    if authentication:
        notifier.bearer = token
    history = History(broker.bootstrap, PARTITIONS, seed=41)
    orders = [f"f-{n:03d}" for n in range(60)]
    for n, order_id in enumerate(orders):
        history.lifecycle(order_id, f"c-{n % 9}", void_every=4)
    history.flush()
    notifier.wait_settled(at_least=60)
    before = {order_id: [n["notification"] for n in notifier.notifications(order_id)] for order_id in orders}
    assert sum(map(len, before.values())) >= 60

    shutil.copy(HERE / "schemathesis-notifier.toml", tmp_path / "schemathesis.toml")
    st = Path(sys.executable).with_name("schemathesis")
    result = subprocess.run(
        [str(st), "run", f"{notifier.url}/openapi.json", "--max-examples", "60", "--seed", "1",
         "--request-timeout", "40", "--no-color", "-H", f"Authorization: Bearer {token}"],
        cwd=tmp_path, capture_output=True, text=True, timeout=540)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-8000:]
    assert "passed" in output and "generated" in output, output[-4000:]

    notifier.wait_ready(30)
    # Replays the fuzzer asked for are delivered; then nothing is left pending.
    notifier.wait_settled(at_least=60)
    after = {order_id: [n["notification"] for n in notifier.notifications(order_id)] for order_id in orders}
    assert after == before
    assert error_lines(notifier.log_text()) == []
