"""A real published warehouse for the dashboard tests: the pipeline run once on a small network with faults."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from orchestration.core.paths import REPO_ROOT
from orchestration.demo.generator import generate

APP = REPO_ROOT / "dashboards" / "streamlit_app.py"
NETWORK = {"plants": 4, "items": 8, "days": 60, "fault_rate": 0.03}  # faults: quarantine and exceptions to show


@pytest.fixture(scope="session")
def published_dir(tmp_path_factory) -> Path:
    """A data directory whose `published/warehouse.duckdb` the real pipeline wrote (read-only for tests)."""
    root = tmp_path_factory.mktemp("dashboard")
    generate(root / "sources", **NETWORK)
    data = root / "data"
    env = dict(os.environ, PLANTSYNC_DATA_DIR=str(data), DAGSTER_HOME=str(data / "dagster_home"))
    run = subprocess.run([sys.executable, "-m", "orchestration.cli", "run", "--config", str(root / "sources" / "network.yaml")],
                         check=False, capture_output=True, text=True, env=env,
                         timeout=600)
    assert (data / "published" / "warehouse.duckdb").is_file(), run.stderr[-2000:]
    return data


@pytest.fixture()
def warehouse(published_dir, monkeypatch) -> Path:
    """The shared published warehouse, as the app finds it through PLANTSYNC_DATA_DIR."""
    monkeypatch.setenv("PLANTSYNC_DATA_DIR", str(published_dir))
    return published_dir / "published" / "warehouse.duckdb"


@pytest.fixture()
def private_warehouse(published_dir, tmp_path, monkeypatch) -> Path:
    """A private copy a test may change (add a proposal, record decisions) without touching the others."""
    data = tmp_path / "data"
    (data / "published").mkdir(parents=True)
    shutil.copy(published_dir / "published" / "warehouse.duckdb", data / "published" / "warehouse.duckdb")
    monkeypatch.setenv("PLANTSYNC_DATA_DIR", str(data))
    return data / "published" / "warehouse.duckdb"


def sql(path: Path, query: str, params: list | None = None) -> list[tuple]:
    """The tests' own reading of the fixture, to compute what each page should show."""
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(query, params or []).fetchall()


def one(path: Path, query: str, params: list | None = None):
    return sql(path, query, params)[0][0]


def open_page(name: str) -> AppTest:
    """Run the app's entry point on one page, as a browser opening that page would."""
    app = AppTest.from_file(str(APP), default_timeout=120)
    app.switch_page(f"app_pages/{name}.py")
    return app.run()


def metric(app: AppTest, label: str) -> str:
    return next(m.value for m in app.metric if m.label == label)


def eur(value: float) -> str:
    return f"€{value:,.0f}" if round(value) >= 0 else f"-€{-value:,.0f}"
