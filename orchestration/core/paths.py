"""Where plantsync keeps its files: one data directory, overridable for tests and deployments."""

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DEMO_CONFIG = REPO_ROOT / "orchestration" / "networks" / "demo.yaml"


def data_dir() -> Path:
    """The data directory: `PLANTSYNC_DATA_DIR`, else `data/` under the repository root."""
    return Path(os.environ.get("PLANTSYNC_DATA_DIR") or REPO_ROOT / "data").resolve()


def config_path() -> Path:
    """The network config in force: `PLANTSYNC_CONFIG`, else the built-in demo network."""
    return Path(os.environ.get("PLANTSYNC_CONFIG") or DEMO_CONFIG).resolve()


def warehouse_path() -> Path:
    """The pipeline's own DuckDB file (readers use the published copy, never this one)."""
    return data_dir() / "warehouse.duckdb"


def sources_dir() -> Path:
    """Where the demo network's generated ERP data lives."""
    return data_dir() / "sources"
