"""What `plantsync run` prints while it runs: one line per extract, then one per stage, each with the
time since the command started, from the run's own Dagster events as the instance stores them."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import TextIO

import dagster as dg

from orchestration.core import clock

# A step's stage, by the layer of the asset it materializes or checks (the first part of the key); a
# layer not named here is a stage of its own name.
ASSET_STAGES = {"raw": "extract", "staging": "dbt build", "intermediate": "dbt build", "marts": "dbt build",
                "plans": "plan", "published": "publish"}
CHECK_STAGES = {"raw": "validate", "marts": "mart checks"}
KEY_STAGES = {"plans/write_back": "write-back"}  # an asset that is a stage of its own within its layer
RUN_ENDS = (dg.DagsterEventType.RUN_SUCCESS, dg.DagsterEventType.RUN_FAILURE)


def step_name(step_key: str) -> str:
    """An extract's step key (`raw__DE1__mard`) as its asset key (`raw/DE1/mard`); others as they are."""
    return step_key.replace("__", "/") if step_key.startswith("raw__") else step_key


def step_stages(graph) -> dict[str, str]:
    """Each step key (an op's name) and its stage."""
    stages = {}
    for assets in graph.assets_defs:
        if assets.keys:
            key = next(iter(assets.keys))
            stages[assets.node_def.name] = KEY_STAGES.get(key.to_user_string(), ASSET_STAGES.get(key.path[0],
                                                                                                key.path[0]))
        elif assets.check_keys:
            layer = next(iter(assets.check_keys)).asset_key.path[0]
            stages[assets.node_def.name] = CHECK_STAGES.get(layer, f"{layer} checks")
    return stages


class RunProgress:
    """Prints each extract as it finishes and each later stage as it ends, from tallies of the stage's
    events. The extracts end with how many were skipped behind a failed one (Dagster emits no event for
    those) and one validate line for the raw checks evaluated with the loads (the raw suites,
    reconciliation and freshness). Remembers where the warehouse was published and what was written
    back, for the summary."""

    def __init__(self, graph, out: TextIO, started: datetime):
        self.stages = step_stages(graph)
        self.out, self.started = out, started
        self.extracts = sum(1 for stage in self.stages.values() if stage == "extract")
        self.extracted = 0
        self.current: str | None = None
        self.tally: Counter = Counter()
        self.rows: dict[str, int] = {}
        self.plan: dict = {}
        self.published: str | None = None
        self.written_back: str | None = None

    def say(self, text: str) -> None:
        seconds = int((clock.now() - self.started).total_seconds())
        print(f"{seconds // 60:3d}:{seconds % 60:02d}  {text}", file=self.out, flush=True)

    def on_event(self, entry) -> None:
        """The instance's event listener for a run: called with each event as it is stored."""
        event = entry.dagster_event
        if event is None:
            return
        if event.event_type in RUN_ENDS:
            self.end_stage()
            return
        stage = self.stages.get(event.step_key)
        if stage is None:
            return
        if event.is_step_start and stage != "validate":
            self.begin_stage(stage)
        elif event.is_step_materialization:
            metadata = {k: v.value for k, v in event.event_specific_data.materialization.metadata.items()}
            self.materialized(stage, event.asset_key.to_user_string(), metadata)
        elif event.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION:
            self.checked("validate" if stage == "extract" else stage, event.event_specific_data)
        elif event.is_step_failure:
            self.tally[stage, "failed"] += 1
        if stage == "extract" and (event.is_step_success or event.is_step_failure):
            self.extracted += 1
            name = step_name(event.step_key)
            outcome = "failed" if event.is_step_failure else f"{self.rows.get(name, 0):,} new rows"
            width = len(str(self.extracts))
            self.say(f"extract {self.extracted:>{width}}/{self.extracts}  {name}: {outcome}")

    def materialized(self, stage: str, key: str, metadata: dict) -> None:
        self.tally[stage, "materialized"] += 1
        if stage == "extract":
            self.rows[key] = metadata.get("rows_loaded", 0)
            self.tally["quarantined"] += metadata.get("rows_quarantined", 0)
        elif key == "plans/network_plan":
            self.plan = metadata
        elif stage == "publish":
            self.published = metadata["path"]
        elif stage == "write-back":
            self.written_back = metadata["summary"]

    def checked(self, stage: str, evaluation) -> None:
        if evaluation.passed:
            self.tally[stage, "passed"] += 1
        elif evaluation.severity == dg.AssetCheckSeverity.WARN:
            self.tally[stage, "warnings"] += 1
        else:
            self.tally[stage, "errors"] += 1

    def begin_stage(self, stage: str) -> None:
        if stage == self.current:
            return
        self.end_stage()
        self.current = stage
        if stage == "dbt build":
            self.say("dbt build: staging, intermediate and marts with their tests ...")

    def end_stage(self) -> None:
        """Say how the stage under way ended: when the next one begins, and when the run ends."""
        stage, self.current = self.current, None
        tally = self.tally
        if stage == "extract":
            if self.extracted < self.extracts:
                self.say(f"extract: {self.extracts - self.extracted} of {self.extracts} skipped behind "
                         f"{tally[stage, 'failed']} that failed (see below)")
            self.say(f"validate: {self.checks('validate', 'checks with the loads')}; "
                     f"{tally['quarantined']:,} rows quarantined")
        elif stage is not None and tally[stage, "failed"]:
            self.say(f"{stage}: failed (see below)")
        elif stage == "dbt build":
            self.say(f"dbt build: {tally[stage, 'materialized']} models, {self.checks(stage, 'tests')}")
        elif stage == "mart checks":
            self.say(f"mart checks: {self.checks(stage, 'mart suites')}")
        elif stage == "plan":
            plan = self.plan
            self.say(f"plan: {plan['plan_id']} {plan['solver_status']}, solved in "
                     f"{plan['solve_seconds']:.1f} s, total cost {plan['total_cost_eur']:,.0f} EUR")
        elif stage == "publish":
            self.say(f"publish: {self.published}")


    def checks(self, stage: str, noun: str = "checks") -> str:
        passed, warnings, errors = (self.tally[stage, k] for k in ("passed", "warnings", "errors"))
        return f"{passed + warnings + errors} {noun}: {passed} passed, {warnings} warnings, {errors} failed"
