"""Contract fuzzing of OrderCommand (issue 6 acceptance 3): schemathesis, with its default
checks, against the service's own /openapi.json over real HTTP: no 5xx, no response outside
the document, no schema-valid request refused as malformed, no malformed one accepted, 405 for
undeclared methods. Fixed seeds keep the run repeatable; the settings are in schemathesis.toml.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


@pytest.mark.timeout(600)
@pytest.mark.parametrize("seed, authentication", [(1, False), (2, False), (1, True)], ids=["seed1", "seed2", "seed1-bearer"])
def test_schemathesis_finds_nothing(broker, order_commands, tmp_path, seed, authentication):
    """With authentication on, the document declares the bearer scheme and schemathesis sends a
    staff token (its ignored-auth check sends none, and expects the 401)."""
    env, headers = {}, []
    if authentication:
        from auth_tokens import hs256_authentication
        env, token = hs256_authentication(tmp_path)
        headers = ["-H", f"Authorization: Bearer {token}"]
    oc = order_commands(broker, env=env)
    shutil.copy(HERE / "schemathesis.toml", tmp_path / "schemathesis.toml")
    st = Path(sys.executable).with_name("schemathesis")
    result = subprocess.run(
        [str(st), "run", f"{oc.url}/openapi.json", "--max-examples", "60", "--seed", str(seed),
         "--request-timeout", "30", "--no-color", *headers],
        cwd=tmp_path, capture_output=True, text=True, timeout=540)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-8000:]
    assert "passed" in output and "generated" in output, output[-4000:]
    # The service is still healthy after the fuzzing.
    oc.wait_ready(30)
