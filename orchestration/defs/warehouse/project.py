"""The dbt project in transforms/, and its manifest prepared on demand (no relative imports here)."""

import fcntl
import os
import subprocess
import sys
from pathlib import Path

from dagster_dbt import DbtProject

TRANSFORMS_DIR = Path(__file__).resolve().parents[3] / "transforms"
DBT_EXECUTABLE = str(Path(sys.executable).parent / "dbt")

transforms_project = DbtProject(project_dir=TRANSFORMS_DIR, profiles_dir=TRANSFORMS_DIR)


def ensure_manifest() -> Path:
    """Run `dbt parse` when the manifest is missing or older than any model, macro or project file.

    Processes that start together (test workers, the CLI beside the UI) take turns on a lock file: without
    it one reads the manifest while another is still writing it.
    """
    manifest = transforms_project.manifest_path
    manifest.parent.mkdir(parents=True, exist_ok=True)
    with open(manifest.parent / "parse.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        sources = [p for pattern in ("*.sql", "*.yml") for p in TRANSFORMS_DIR.rglob(pattern) if "target" not in p.parts]
        if not manifest.exists() or max(p.stat().st_mtime for p in sources) > manifest.stat().st_mtime:
            subprocess.run([DBT_EXECUTABLE, "parse", "--quiet", "--project-dir", str(TRANSFORMS_DIR),
                            "--profiles-dir", str(TRANSFORMS_DIR)], check=True,
                           env={**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"})
    return manifest
