"""One injected clock: the demo's as-of day, freshness and every timestamp follow it, on any date."""

from datetime import UTC, date, datetime, timedelta

import dagster as dg
import duckdb
import pytest

from orchestration.cli import _materialize
from orchestration.core import clock
from orchestration.definitions import build_definitions
from orchestration.demo.generator import generate
from tests.conftest import NOW, set_clock


def test_the_clock_is_the_wall_clock_moved_by_the_offset(monkeypatch):
    set_clock(monkeypatch, datetime(2031, 2, 28, 6, tzinfo=UTC))
    assert abs(clock.now() - datetime(2031, 2, 28, 6, tzinfo=UTC)) < timedelta(seconds=5)
    assert clock.today() == date(2031, 2, 28)
    monkeypatch.setenv(clock.CLOCK_ENV, "next tuesday")
    with pytest.raises(ValueError, match="PLANTSYNC_CLOCK_OFFSET_DAYS='next tuesday': expected a number of days"):
        clock.now()


def test_the_demo_is_as_of_the_clock_day_unless_told(tmp_path, monkeypatch):
    set_clock(monkeypatch, datetime(2030, 6, 5, 12, tzinfo=UTC))
    assert generate(tmp_path / "today", plants=4, items=4, days=20).settings["as_of"] == "2030-06-05"
    fixed = generate(tmp_path / "fixed", plants=4, items=4, days=20, as_of=date(2026, 11, 23))
    assert fixed.settings["as_of"] == "2026-11-23"
    assert sorted(p.name for p in (tmp_path / "today" / "DE1" / "sap").glob("MARD_*.csv"))[-1] == "MARD_20300605.csv"


def test_a_year_ahead_the_pipeline_builds_a_fresh_network_and_plans_from_its_day(tmp_path, monkeypatch):
    """The whole pipeline with the clock a year past the tests' own: a network generated that day is
    fresh (no stale source, no alert), and the plan starts the Monday after its last day of history."""
    ahead = NOW + timedelta(days=365)
    set_clock(monkeypatch, ahead)
    generate(tmp_path / "sources", plants=4, items=8, days=60)
    warehouse = tmp_path / "data" / "warehouse.duckdb"
    warehouse.parent.mkdir()
    with dg.instance_for_test():
        assert _materialize(build_definitions(tmp_path / "sources" / "network.yaml", warehouse),
                            tmp_path / "run.log") == []
    published = warehouse.parent / "published" / "warehouse.duckdb"
    with duckdb.connect(str(published), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM quality.data_exceptions WHERE status = 'open' "
                           "AND check_name = 'freshness'").fetchone()[0] == 0
        assert con.execute("SELECT max(snapshot_date) FROM marts.fct_inventory_daily").fetchone()[0] == ahead.date()
        first_week = con.execute("""SELECT min(period_start - to_weeks(CAST(period - 1 AS INTEGER)))::DATE
                                    FROM plans.plan_production
                                    WHERE plan_id = (SELECT plan_id FROM plans.plan_versions
                                                     WHERE status = 'current')""").fetchone()[0]
        made_at = con.execute("SELECT max(made_at) FROM plans.plan_versions").fetchone()[0]
        loaded = con.execute("SELECT min(finished_at), max(finished_at) FROM raw._loads").fetchone()
    assert first_week.weekday() == 0 and timedelta(days=1) <= first_week - ahead.date() <= timedelta(days=7)
    assert abs(made_at - ahead.replace(tzinfo=None)) < timedelta(minutes=30)  # stamped by the same clock
    assert all(abs(at - ahead) < timedelta(minutes=30) for at in loaded)
