"""Contract fuzzing of OrderQuery (issue 7 acceptance 4): schemathesis, with its default checks,
against the service's own /openapi.json over real HTTP, on a read model with data in it: no 5xx,
no response outside the document, no schema-valid request refused, no malformed one accepted.
Then the read model is unchanged. Fixed seeds keep the run repeatable.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from order_command import Client
from order_query import all_orders, create_topic, wait_caught_up
from test_order_query import PARTITIONS, write_history

HERE = Path(__file__).resolve().parent


@pytest.mark.timeout(600)
@pytest.mark.parametrize("authentication", [False, True], ids=["admin-token", "bearer"])
def test_schemathesis_finds_nothing(broker, database_url, order_queries, tmp_path, authentication):
    """With authentication on, schemathesis sends a token with the roles staff and admin (its
    ignored-auth check sends none, and expects the 401)."""
    create_topic(broker.bootstrap, PARTITIONS)
    env, token = {"ADMIN_TOKEN": "fuzz-token"}, "fuzz-token"
    if authentication:
        from auth_tokens import hs256_authentication
        auth_env, token = hs256_authentication(tmp_path)
        env.update(auth_env)
    oq = order_queries(broker, database_url, env=env)
    write_history(broker, 200, seed=41)
    client = Client(oq.port)
    client.default_headers = {"Authorization": f"Bearer {token}"}
    wait_caught_up(client)
    before = all_orders(client)
    shutil.copy(HERE / "schemathesis-order-query.toml", tmp_path / "schemathesis.toml")
    st = Path(sys.executable).with_name("schemathesis")
    result = subprocess.run(
        [str(st), "run", f"{oq.url}/openapi.json", "--max-examples", "60", "--seed", "1",
         "--request-timeout", "40", "--no-color", "-H", f"Authorization: Bearer {token}"],
        cwd=tmp_path, capture_output=True, text=True, timeout=540)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-8000:]
    assert "passed" in output and "generated" in output, output[-4000:]
    oq.wait_ready(30)
    assert all_orders(client) == before
    errors = [line for line in oq.log_tail(100000).splitlines() if " error " in line or " critical " in line]
    assert errors == []
