"""Bounded autonomous re-planning: a machine-down event in a plant's feed, the sensor, the re-plan job,
the limits, notifications to a real webhook on loopback, and an analyst approving a proposal."""

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.cli import _materialize
from orchestration.core.decisions import decisions_path, record_decision
from orchestration.definitions import build_definitions
from orchestration.demo.generator import generate
from tests.conftest import edit_config


class Webhook:
    """A real HTTP receiver on 127.0.0.1 that keeps every JSON body POSTed to it."""

    def __init__(self):
        received = self.received = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/alerts"


@pytest.fixture(scope="module")
def network(tmp_path_factory):
    """A small network, fully built and published once; the tests add events and decisions to it."""
    out = tmp_path_factory.mktemp("operations")
    generate(out / "sources", plants=4, items=8, days=60)
    config = out / "sources" / "network.yaml"
    warehouse = out / "data" / "warehouse.duckdb"
    warehouse.parent.mkdir()
    with dg.instance_for_test():
        assert _materialize(build_definitions(config, warehouse), out / "run.log") == []
    return config, warehouse


@pytest.fixture()
def webhook(monkeypatch):
    hook = Webhook()
    monkeypatch.setenv("PLANTSYNC_ALERT_WEBHOOK", hook.url)
    yield hook
    hook.server.shutdown()


def query(path: Path, sql: str, params=()):
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


def published(warehouse: Path) -> Path:
    return warehouse.parent / "published" / "warehouse.duckdb"


def current_plan(path: Path) -> str:
    return query(path, "SELECT plan_id FROM plans.plan_versions WHERE status = 'current' "
                       "ORDER BY made_at DESC LIMIT 1")[0][0]


def busiest_work_center(warehouse: Path, plant: str) -> tuple[str, int]:
    """The plant's work center with the most planned hours after the frozen period, and that period."""
    return query(warehouse, """
        SELECT work_center_id, period FROM plans.plan_capacity
        WHERE plan_id = ? AND plant_code = ? AND period > 1 ORDER BY used_hours DESC LIMIT 1""",
                 [current_plan(warehouse), plant])[0]


def drop_down_event(config: Path, warehouse: Path, plant: str, event_id: str, weeks: int) -> dict:
    """Append a DOWN event for the plant's busiest work center, starting in that period, to its feed."""
    work_center, period = busiest_work_center(warehouse, plant)
    (as_of,) = query(warehouse, "SELECT max(snapshot_date) FROM marts.fct_inventory_daily")[0]
    first_monday = as_of + timedelta(days=7 - as_of.weekday())
    down_at = first_monday + timedelta(weeks=period - 1)
    event = {"event_id": event_id, "machine": work_center.split("-", 1)[1], "ts": f"{down_at}T06:00:00",
             "state": "DOWN", "reason": "spindle failure", "expected_up": f"{down_at + timedelta(weeks=weeks)}T06:00:00"}
    feed = sorted((config.parent / plant / "events").glob("machine_events_*.jsonl"))[-1]
    with feed.open("a") as lines:
        lines.write(json.dumps(event) + "\n")
    return event


def sensor_tick(defs: dg.Definitions, name: str, cursor: str | None):
    sensor = defs.resolve_sensor_def(name)
    with dg.instance_for_test() as instance:
        return sensor.evaluate_tick(dg.build_sensor_context(instance=instance, cursor=cursor, definitions=defs))


def run(defs: dg.Definitions, job: str, tags: dict) -> dg.ExecuteInProcessResult:
    with dg.instance_for_test() as instance:
        return defs.resolve_job_def(job).execute_in_process(instance=instance, tags=tags, raise_on_error=False)


def set_limits(config: Path, cost: float, load: float) -> None:
    edit_config(config, lambda raw: raw["planning"].update(
        autonomous_replan={"max_cost_increase_share": cost, "max_load_moved_share": load}))


def test_machine_down_sensor_reads_only_new_complete_down_events(tmp_path):
    sources = tmp_path / "sources"
    generate(sources, plants=4, items=4, days=20)
    defs = build_definitions(sources / "network.yaml", tmp_path / "unused.duckdb")
    first = sensor_tick(defs, "machine_down_DE1", None)
    assert first.run_requests == [] and "watching" in first.skip_message  # history is not news
    feed = sorted((sources / "DE1" / "events").glob("machine_events_*.jsonl"))[-1]
    with feed.open("a") as lines:
        lines.write(json.dumps({"event_id": "E-RUN", "machine": "L1", "ts": "2026-11-30T06:00:00",
                                "state": "RUNNING", "reason": None}) + "\n")
        lines.write('{"event_id": "E-DOWN", "machine": "L1", "ts": "2026-11-30T07:00:00", "state": "DOWN", '
                    '"reason": "spindle failure"}\n')
        lines.write('{"event_id": "E-HALF", "machine": "L2", "ts": "2026-11-30T08:00:00", "sta')  # still being written
    tick = sensor_tick(defs, "machine_down_DE1", first.cursor)
    assert [r.tags["event_id"] for r in tick.run_requests] == ["E-DOWN"]
    request = tick.run_requests[0]
    assert request.tags["down_at"] == "2026-11-30T07:00:00"
    assert request.tags["up_at"] == "2026-12-03T07:00:00"  # the config's assumed outage: 72 hours
    assert tick.run_requests[0].run_key == "machine_down-E-DOWN"
    with feed.open("a") as lines:
        lines.write('te": "DOWN", "reason": null}\n')
    later = sensor_tick(defs, "machine_down_DE1", tick.cursor)
    assert [r.tags["event_id"] for r in later.run_requests] == ["E-HALF"]
    assert sensor_tick(defs, "machine_down_DE1", later.cursor).run_requests == []


def machine_goes_down(network, plant: str, event_id: str, weeks: int, limits: float):
    """With both limits at `limits`: an event lands, the plant's sensor ticks, its re-plan job runs."""
    config, warehouse = network
    set_limits(config, cost=limits, load=limits)
    defs = build_definitions(config, warehouse)
    cursor = sensor_tick(defs, f"machine_down_{plant}", None).cursor
    before = current_plan(published(warehouse))
    event = drop_down_event(config, warehouse, plant, event_id, weeks)
    tick = sensor_tick(defs, f"machine_down_{plant}", cursor)
    assert len(tick.run_requests) == 1
    assert run(defs, f"replan_{plant}", tick.run_requests[0].tags).success
    return defs, before, event


def test_replan_inside_the_limits_is_published_as_current_and_notified(network, webhook):
    _, warehouse = network
    _, before, event = machine_goes_down(network, "DE2", "DE2-TEST-1", weeks=1, limits=1.0)

    (plan_id, reason, made_by, status, within, detail), = query(published(warehouse), """
        SELECT plan_id, reason, made_by, status, within_limits, detail FROM plans.plan_versions
        ORDER BY made_at DESC LIMIT 1""")
    assert plan_id != before and plan_id.startswith("event:DE2-TEST-1")
    assert (reason, status, within) == ("event", "current", True)
    assert made_by == "plantsync:machine_down" and event["machine"] in detail
    assert current_plan(published(warehouse)) == plan_id
    assert query(warehouse, "SELECT state FROM marts.fct_machine_events WHERE event_id = ?",
                 [event["event_id"]]) == [("DOWN",)]  # the event itself was extracted and built too
    moved = query(published(warehouse), "SELECT count(*) FROM plans.plan_what_moved WHERE plan_id = ?", [plan_id])
    assert moved[0][0] > 0  # the busiest work center lost a week: its load went somewhere
    bodies = [b for b in webhook.received if b.get("plan_id") == plan_id]
    assert [b["kind"] for b in bodies] == ["plantsync.plan_published"]
    assert "DE2-TEST-1" in bodies[0]["summary"]


def test_replan_outside_the_limits_waits_for_an_analyst(network, webhook):
    _, warehouse = network
    defs, before, _ = machine_goes_down(network, "DE1", "DE1-TEST-2", weeks=3, limits=0.0)

    (proposal, status, breaches), = query(published(warehouse), """
        SELECT plan_id, status, limit_breaches FROM plans.plan_versions ORDER BY made_at DESC LIMIT 1""")
    assert status == "proposal" and "above the limit of 0%" in breaches
    assert current_plan(published(warehouse)) == before  # the current plan stands until someone decides
    assert [b["kind"] for b in webhook.received if b.get("plan_id") == proposal] == ["plantsync.plan_proposed"]

    decisions = decisions_path(warehouse.parent)
    decisions_sensor = defs.resolve_sensor_def("plan_decisions")
    assert sensor_tick(defs, "plan_decisions", None).run_requests == []
    record_decision("plan_proposal", proposal, "approved", "ana.planner", note="customer informed", path=decisions)
    tick = sensor_tick(defs, "plan_decisions", None)
    assert decisions_sensor.job_name == "apply_plan_decisions" and len(tick.run_requests) == 1
    assert run(defs, "apply_plan_decisions", tick.run_requests[0].tags).success

    assert current_plan(published(warehouse)) == proposal
    (reason, made_by, detail), = query(published(warehouse), """
        SELECT reason, made_by, detail FROM plans.plan_versions WHERE plan_id = ? AND status = 'current'""",
                                       [proposal])
    assert (reason, made_by) == ("analyst", "ana.planner") and "customer informed" in detail
    assert query(published(warehouse), "SELECT decided_by FROM plans.decisions WHERE subject_id = ?",
                 [proposal]) == [("ana.planner",)]
    assert "plantsync.proposal_approved" in [b["kind"] for b in webhook.received if b.get("plan_id") == proposal]
    assert sensor_tick(defs, "plan_decisions", tick.cursor).run_requests == []


def test_nightly_plan_is_made_on_schedule_and_says_so(network):
    config, warehouse = network
    defs = build_definitions(config, warehouse)
    schedule = defs.resolve_schedule_def("nightly_plan")
    assert (schedule.cron_schedule, schedule.execution_timezone, schedule.job_name) == (
        "0 2 * * *", "Europe/Berlin", "plan_network")
    with dg.instance_for_test() as instance:
        tick = schedule.evaluate_tick(dg.build_schedule_context(instance=instance))
    assert run(defs, "plan_network", tick.run_requests[0].tags).success
    (reason, made_by, status), = query(published(warehouse), """
        SELECT reason, made_by, status FROM plans.plan_versions ORDER BY made_at DESC LIMIT 1""")
    assert (reason, made_by, status) == ("schedule", "plantsync:schedule", "current")
