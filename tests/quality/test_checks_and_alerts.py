"""Mart suites as Dagster asset checks (blocking stops the planner), freshness, exceptions and alerts."""

from datetime import UTC, datetime

import dagster as dg
import duckdb
import pytest

from orchestration.config import load_config
from orchestration.defs.quality.checks import check_freshness, mart_checks
from orchestration.defs.quality.freshness import file_extract_time
from orchestration.defs.resources import PlantSources
from orchestration.raw import load_entity
from orchestration.sources import SOURCE_KINDS, erp_connector
from tests.conftest import NOW
from tests.quality.conftest import Receiver, load_reference, query


@pytest.fixture()
def mart_warehouse(small_sources, data_dir):
    """A fixture DuckDB with the contract's capacity and KPI marts: one negative capacity, one bad rate."""
    warehouse = data_dir / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("CREATE SCHEMA marts")
        con.execute("""CREATE TABLE marts.fct_capacity_daily AS SELECT * FROM (VALUES
            (DATE '2026-11-23', 'DE1', 'DE1-L1', 16.0, 0.0, 1.0, 12.0),
            (DATE '2026-11-24', 'DE1', 'DE1-L1', -3.0, 0.0, 0.0, 0.0),
            (DATE '2026-11-24', 'MX1', 'MX1-L1', 16.0, 2.0, 0.0, 9.0))
            t(date_day, plant_code, work_center_id, available_hours, planned_downtime_hours,
              unplanned_downtime_hours, loaded_hours)""")
        con.execute("""CREATE TABLE marts.kpi_plant_daily AS SELECT * FROM (VALUES
            (DATE '2026-11-23', 'DE1', 1.4, 0.9, 0.01), (DATE '2026-11-23', 'DE2', 0.8, 0.7, 0.02))
            t(date_day, plant_code, otif_rate, fill_rate, reject_rate)""")
    return PlantSources(config_path=str(small_sources / "network.yaml"), warehouse_path=str(warehouse))


def test_blocking_mart_check_stops_the_planner_a_warning_does_not(mart_warehouse, receiver):
    @dg.asset(key=["marts", "fct_capacity_daily"])
    def capacity() -> None: ...

    @dg.asset(key=["kpi_plant_daily"])  # dagster-dbt may key a mart without its schema
    def kpis() -> None: ...

    @dg.asset(deps=[capacity.key])
    def network_plan() -> None: ...

    @dg.asset(deps=[kpis.key])
    def dashboard_extract() -> None: ...

    checks = mart_checks([capacity.key, kpis.key, network_plan.key])
    assert {(c.check_key.asset_key.to_user_string(), c.check_key.name) for c in checks} == {
        ("marts/fct_capacity_daily", "mart_suite"), ("kpi_plant_daily", "mart_suite")}
    defs = dg.Definitions(assets=[capacity, kpis, network_plan, dashboard_extract], asset_checks=checks,
                          resources={"sources": mart_warehouse})
    result = defs.resolve_implicit_global_asset_job_def().execute_in_process(
        instance=dg.DagsterInstance.ephemeral(), raise_on_error=False)
    evaluations = {e.asset_key.to_user_string(): e for e in result.get_asset_check_evaluations()}
    capacity_check = evaluations["marts/fct_capacity_daily"]
    assert not capacity_check.passed and capacity_check.severity == dg.AssetCheckSeverity.ERROR
    assert capacity_check.metadata["failures"].value == {"range:available_hours": 1}
    assert capacity_check.metadata["plants_affected"].value == ["DE1"]
    assert "-3.0" in capacity_check.metadata["sample"].value
    kpi_check = evaluations["kpi_plant_daily"]
    assert not kpi_check.passed and kpi_check.severity == dg.AssetCheckSeverity.WARN
    materialized = {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
    assert "network_plan" not in materialized  # blocked by the failing blocking check
    assert "dashboard_extract" in materialized  # a warning does not stop anything

    warehouse = mart_warehouse.warehouse
    exceptions = query(warehouse, "SELECT plant_code, check_name, entity, rows, severity FROM quality.data_exceptions "
                                  "WHERE status = 'open' ORDER BY entity")
    assert exceptions == [("DE1", "mart:range", "fct_capacity_daily", 1, "error"),
                          ("DE1", "mart:range", "kpi_plant_daily", 1, "warning")]
    assert sorted(b["entity"] for b in receiver.bodies) == ["fct_capacity_daily", "kpi_plant_daily"]
    assert all(b["plant_code"] == "DE1" and b["check_name"] == "mart:range" for b in receiver.bodies)
    results = query(warehouse, "SELECT target, rule, field, success FROM quality.validation_results "
                               "WHERE NOT success ORDER BY target")
    assert results == [("marts.fct_capacity_daily", "range", "available_hours", False),
                       ("marts.kpi_plant_daily", "range", "otif_rate", False)]

    # the capacity is corrected: the next check passes and resolves the exception; no new alert
    with duckdb.connect(str(warehouse)) as con:
        con.execute("UPDATE marts.fct_capacity_daily SET available_hours = 0 WHERE available_hours < 0")
    again = defs.resolve_implicit_global_asset_job_def().execute_in_process(
        instance=dg.DagsterInstance.ephemeral(), raise_on_error=False)
    assert {e.asset_key.to_user_string() for e in again.get_asset_materialization_events()} >= {"network_plan"}
    assert query(warehouse, "SELECT status FROM quality.data_exceptions WHERE entity = 'fct_capacity_daily'") == [
        ("resolved",)]
    assert len(receiver.bodies) == 2


def test_file_extract_time_is_the_end_of_the_named_day_in_the_plant_time_zone():
    assert file_extract_time("MARD_20261123.csv", "Europe/Berlin") == datetime(2026, 11, 23, 23, tzinfo=UTC)
    assert file_extract_time("machine_events_202611.jsonl", "Europe/Berlin") is None


def test_stale_plants_are_flagged_and_alerted_once(network_copy, data_dir, receiver):
    warehouse = data_dir / "warehouse.duckdb"
    config_file = network_copy / "network.yaml"
    load_reference(config_file, warehouse)
    config = load_config(config_file)
    for plant, entity in (("DE1", "mard"), ("MX1", "existencias")):
        connector = erp_connector(config, config.plant(plant), {})
        load_entity(warehouse, connector, SOURCE_KINDS[connector.source_system].entity(entity), ["DE1", "DE2", "DE3", "MX1"])
    sources = PlantSources(config_path=str(config_file), warehouse_path=str(warehouse))

    frame, stale = check_freshness(sources, config, now=datetime(2026, 11, 24, 12, tzinfo=UTC))
    ages = dict(zip(frame.plant_code, frame.age_hours))
    assert ages["DE1"] == pytest.approx(13.0)  # MARD_20261123.csv: the end of 23 November in Berlin
    assert {frame.plant_code[i] for i in stale} == {"DE2", "DE3"}  # never extracted
    assert sorted(b["plant_code"] for b in receiver.bodies) == ["DE2", "DE3"]

    later = datetime(2026, 11, 26, 12, tzinfo=UTC)  # DE1's files 61 hours old; MX1 pulled 72 hours ago
    frame, stale = check_freshness(sources, config, now=later)
    assert {frame.plant_code[i] for i in stale} == {"DE1", "DE2", "DE3", "MX1"}
    assert sorted(b["plant_code"] for b in receiver.bodies) == ["DE1", "DE2", "DE3", "MX1"]  # DE2, DE3 not re-sent
    opened = query(warehouse, "SELECT plant_code, detail FROM quality.data_exceptions "
                              "WHERE status = 'open' AND check_name = 'freshness' ORDER BY plant_code")
    assert [p for p, _ in opened] == ["DE1", "DE2", "DE3", "MX1"]
    assert "allowed 36 h" in opened[0][1]


def test_undeliverable_alert_stays_pending_and_is_sent_later(mart_warehouse, monkeypatch):
    from expectations.exceptions import Finding, sync_exceptions
    from orchestration.core.notifications import send_exception_alerts

    down = Receiver(status=503)
    with duckdb.connect(str(mart_warehouse.warehouse)) as con:
        sync_exceptions(con, [Finding("DE1", "raw:known_item", "mard", "MARD_20261123.csv", 2, "2 rows")],
                        plant_code="DE1", check_like="raw:%", entity="mard", now=NOW)
        assert send_exception_alerts(con, down.url, NOW) == 0 and len(down.bodies) == 1
        down.status = 200
        assert send_exception_alerts(con, down.url, NOW) == 1
        assert send_exception_alerts(con, down.url, NOW) == 0
    down.close()
    assert [b["location"] for b in down.bodies] == ["MARD_20261123.csv"] * 2
