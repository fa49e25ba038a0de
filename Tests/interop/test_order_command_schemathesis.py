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
@pytest.mark.parametrize("seed", [1, 2])
def test_schemathesis_finds_nothing(broker, order_commands, tmp_path, seed):
    oc = order_commands(broker)
    shutil.copy(HERE / "schemathesis.toml", tmp_path / "schemathesis.toml")
    st = Path(sys.executable).with_name("schemathesis")
    result = subprocess.run(
        [str(st), "run", f"{oc.url}/openapi.json", "--max-examples", "60", "--seed", str(seed),
         "--request-timeout", "30", "--no-color"],
        cwd=tmp_path, capture_output=True, text=True, timeout=540)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-8000:]
    assert "passed" in output and "generated" in output, output[-4000:]
    # The service is still healthy after the fuzzing.
    oc.wait_ready(30)
