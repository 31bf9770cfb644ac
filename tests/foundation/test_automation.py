"""Schedules and sensors, evaluated with Dagster's own test contexts on real files."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import dagster as dg
import pytest

from orchestration.definitions import build_definitions
from orchestration.defs.automation.definitions import AUTOMATION_ENV
from tests.conftest import edit_config


def definitions(config_file: Path) -> dg.Definitions:
    return build_definitions(config_file, config_file.parent / "unused.duckdb")


def test_every_plant_has_an_extract_schedule_in_its_time_zone(small_sources):
    defs = definitions(small_sources / "network.yaml")
    schedule = defs.resolve_schedule_def("extract_MX1_schedule")
    assert schedule.execution_timezone == "America/Mexico_City"
    assert schedule.job_name == "extract_MX1"
    job = defs.resolve_job_def("extract_MX1")
    keys = {k.to_user_string() for k in job.asset_layer.executable_asset_keys}
    assert keys and all(k.startswith("raw/MX1/") for k in keys)


def test_new_sap_file_starts_that_plants_extract(network_copy):
    defs = definitions(network_copy / "network.yaml")
    sensor = defs.resolve_sensor_def("new_extract_file_DE1")
    with dg.instance_for_test() as instance:
        first = sensor.evaluate_tick(dg.build_sensor_context(instance=instance, definitions=defs))
        assert len(first.run_requests) == 1  # everything is new on the first tick
        cursor = first.cursor
        quiet = sensor.evaluate_tick(dg.build_sensor_context(instance=instance, cursor=cursor, definitions=defs))
        assert quiet.run_requests == [] and "no new files" in quiet.skip_message
        dropped = network_copy / "DE1" / "sap" / "MARD_20261124.csv"
        dropped.write_text("MATNR;WERKS;LGORT;STICHTAG;LABST;INSME;SPEME\n")
        later = time.time() + 5
        os.utime(dropped, (later, later))
        tick = sensor.evaluate_tick(dg.build_sensor_context(instance=instance, cursor=cursor, definitions=defs))
        assert [r.tags["files"] for r in tick.run_requests] == ["MARD_20261124.csv"]
        assert tick.run_requests[0].job_name in (None, "extract_DE1")
    assert defs.resolve_sensor_def("new_extract_file_DE3")  # generic-format plants are watched too
    names = {s.name for s in defs.sensors}
    assert "new_extract_file_DE2" not in names  # an API source is polled on its schedule instead


def default_statuses(defs: dg.Definitions) -> set[str]:
    return {s.default_status.value for s in [*defs.schedules, *defs.sensors]}


def test_schedules_and_sensors_start_stopped_unless_automation_is_on(network_copy, monkeypatch):
    monkeypatch.delenv(AUTOMATION_ENV, raising=False)
    config_file = network_copy / "network.yaml"
    defs = definitions(config_file)
    assert defs.schedules and defs.sensors
    assert default_statuses(defs) == {"STOPPED"}
    monkeypatch.setenv(AUTOMATION_ENV, "1")  # what `plantsync ui --automation` sets for its session
    assert default_statuses(definitions(config_file)) == {"RUNNING"}
    monkeypatch.delenv(AUTOMATION_ENV)
    edit_config(config_file, lambda raw: raw.update(automation={"enabled": True}))
    assert default_statuses(definitions(config_file)) == {"RUNNING"}
    monkeypatch.setenv(AUTOMATION_ENV, "0")  # the variable, when set, decides for its process
    assert default_statuses(definitions(config_file)) == {"STOPPED"}
    monkeypatch.setenv(AUTOMATION_ENV, "yes")
    with pytest.raises(ValueError, match="PLANTSYNC_AUTOMATION must be 1 .* or 0 .*, got 'yes'"):
        definitions(config_file)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def stop_group(process: subprocess.Popen) -> None:
    """`dagster dev` and everything it started (webserver, daemon, code servers, runs) share its group."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        pass
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def group_gone(group: int, seconds: float = 10) -> bool:
    """True once no process of the group is left (killed children take a moment to be reaped)."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.2)
    return False


def test_starting_the_ui_launches_no_run(network_copy, data_dir, tmp_path, monkeypatch):
    """Opening the UI changes nothing: no sensor or schedule runs until someone switches automation on."""
    monkeypatch.delenv(AUTOMATION_ENV, raising=False)
    port = free_port()
    log = tmp_path / "ui.log"
    command = [sys.executable, "-m", "orchestration.cli", "ui", "--config", str(network_copy / "network.yaml"),
               "--port", str(port)]
    with log.open("w") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.time() + 120
        while not answers(f"http://127.0.0.1:{port}/server_info"):
            assert process.poll() is None and time.time() < deadline, log.read_text()[-3000:]
            time.sleep(0.5)
        # past the longest sensor interval: every sensor running by default would have ticked by now
        sensors = definitions(network_copy / "network.yaml").sensors
        time.sleep(max(s.minimum_interval_seconds or 30 for s in sensors) + 5)
        assert process.poll() is None, log.read_text()[-3000:]
    finally:
        stop_group(process)
    assert group_gone(process.pid), "a process of the UI survived its stop"

    with dg.DagsterInstance.from_config(str(data_dir / "dagster_home")) as instance:
        daemons = {heartbeat.daemon_type for heartbeat in instance.get_daemon_heartbeats().values()}
        assert {"SENSOR", "SCHEDULER"} <= daemons, f"the daemon never ran: {daemons}"  # else zero runs proves nothing
        assert instance.get_runs_count() == 0, [(r.job_name, r.tags) for r in instance.get_runs()]
    assert not (data_dir / "warehouse.duckdb").exists()
    assert not (data_dir / "published").exists()
    assert "automation off" in log.read_text()
