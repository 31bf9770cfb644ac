"""Schedules and sensors, evaluated with Dagster's own test contexts on real files."""

import os
import time
from pathlib import Path

import dagster as dg

from orchestration.definitions import build_definitions


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
