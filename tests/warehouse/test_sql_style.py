"""The dbt models pass sqlfluff (dbt templater) with the project's own .sqlfluff."""

import os
import subprocess
import sys
from pathlib import Path

TRANSFORMS = Path(__file__).resolve().parents[2] / "transforms"


def test_models_pass_sqlfluff(tmp_path):
    env = {**os.environ, "PLANTSYNC_WAREHOUSE": str(tmp_path / "lint.duckdb"), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    result = subprocess.run([str(Path(sys.executable).parent / "sqlfluff"), "lint", "models", "--processes", "2"],
                            cwd=TRANSFORMS, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-4000:]
