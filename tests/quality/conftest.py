"""Quality test fixtures: a small network with faults, Dagster runs of the extracts, a webhook receiver."""

from __future__ import annotations

import json
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.config import load_config
from orchestration.definitions import build_definitions
from orchestration.demo.generator import generate
from orchestration.raw import load_entity
from orchestration.sources import SOURCE_KINDS, reference_connector

CORPUS = Path(__file__).parent / "corpus"
FAULTY = {"plants": 4, "items": 8, "days": 60, "fault_rate": 0.02}


@pytest.fixture(scope="session")
def faulty_sources(tmp_path_factory) -> Path:
    """A small network generated with faults switched on (read-only; copy before changing it)."""
    out = tmp_path_factory.mktemp("faulty_network")
    generate(out, **FAULTY)
    return out


@pytest.fixture()
def faulty_copy(faulty_sources: Path, tmp_path: Path) -> Path:
    target = tmp_path / "faulty"
    shutil.copytree(faulty_sources, target)
    return target


def extract(config_file: Path, warehouse: Path) -> dg.ExecuteInProcessResult:
    """Materialize every extract asset (and its checks) in process, as `plantsync run` does first."""
    defs = build_definitions(config_file, warehouse)
    selection = dg.AssetSelection.key_prefixes(["raw"]).resolve(defs.resolve_asset_graph())
    return defs.resolve_implicit_global_asset_job_def().execute_in_process(
        instance=dg.DagsterInstance.ephemeral(), raise_on_error=False, asset_selection=list(selection))


def check_results(result: dg.ExecuteInProcessResult) -> dict[tuple[str, str], dg.AssetCheckEvaluation]:
    return {(e.asset_key.to_user_string(), e.check_name): e for e in result.get_asset_check_evaluations()}


def load_reference(config_file: Path, warehouse: Path) -> None:
    """Load the network reference (item cross-reference, units, routings ...) the raw suites check against."""
    config = load_config(config_file)
    plants = [p.code for p in config.plants]
    for entity in SOURCE_KINDS["reference"].entities:
        load_entity(warehouse, reference_connector(config), entity, plants)


def query(warehouse: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


class Receiver:
    """An HTTP receiver on 127.0.0.1 that records every JSON body POSTed to it."""

    def __init__(self, status: int = 200):
        self.bodies: list[dict] = []
        self.status = status
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                return

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                receiver.bodies.append(json.loads(self.rfile.read(length)))
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks/plantsync"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture()
def receiver(monkeypatch):
    hook = Receiver()
    monkeypatch.setenv("PLANTSYNC_ALERT_WEBHOOK", hook.url)
    yield hook
    hook.close()
