"""Shared fixtures: small generated networks in temporary folders, never the user's data directory."""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from orchestration.core import clock
from orchestration.demo.generator import generate

os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
os.environ.setdefault("STREAMLIT_BROWSER_GATHER_USAGE_STATS", "false")

# The tests' clock, whatever day they run: noon UTC on the last day of every generated network's history
# (networks are generated on the clock's day), set before anything reads it and inherited by the
# processes tests start. A test that moves it uses `set_clock`.
NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)
os.environ[clock.CLOCK_ENV] = clock.offset_days_to(NOW)


def set_clock(monkeypatch, instant: datetime) -> None:
    """Move plantsync's clock (this process and those it starts) so that it reads `instant` now."""
    monkeypatch.setenv(clock.CLOCK_ENV, clock.offset_days_to(instant))

SMALL = {"plants": 4, "items": 8, "days": 60}


@pytest.fixture(scope="session")
def small_sources(tmp_path_factory) -> Path:
    """A small fault-free network's sources and config, generated once per session (read-only)."""
    out = tmp_path_factory.mktemp("small_network")
    generate(out, **SMALL)
    return out


@pytest.fixture()
def network_copy(small_sources: Path, tmp_path: Path) -> Path:
    """A private copy of the small network that a test may change (drop files, edit the config)."""
    target = tmp_path / "sources"
    shutil.copytree(small_sources, target)
    return target


@pytest.fixture()
def data_dir(tmp_path: Path, monkeypatch) -> Path:
    """A private data directory for the pipeline's warehouse and Dagster home."""
    path = tmp_path / "data"
    path.mkdir()
    monkeypatch.setenv("PLANTSYNC_DATA_DIR", str(path))
    monkeypatch.setenv("DAGSTER_HOME", str(path / "dagster_home"))
    (path / "dagster_home").mkdir()
    (path / "dagster_home" / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    return path


def edit_config(config_file: Path, change) -> Path:
    """Apply `change(dict)` to a network config file in place (for tests that break one plant)."""
    raw = yaml.safe_load(config_file.read_text())
    change(raw)
    config_file.write_text(yaml.safe_dump(raw, sort_keys=False))
    return config_file
