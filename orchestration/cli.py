"""The `plantsync` command: run the pipeline, generate networks, write plans back, open the Dagster UI.

Exit codes: 0 success; 1 the pipeline ran but something failed (named on one line); 2 bad usage or config.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import uuid
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from orchestration.core import clock
from orchestration.core.paths import (
    DEMO_CONFIG,
    REPO_ROOT,
    config_path,
    data_dir,
    sources_dir,
    warehouse_path,
)

if TYPE_CHECKING:
    from orchestration.progress import RunProgress

QUIET_ENV = {
    "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
}


def prepare_environment() -> Path:
    """Telemetry off for every tool, and a Dagster home under the data directory."""
    for key, value in QUIET_ENV.items():
        os.environ.setdefault(key, value)
    home = Path(os.environ.get("DAGSTER_HOME") or data_dir() / "dagster_home")
    home.mkdir(parents=True, exist_ok=True)
    settings = home / "dagster.yaml"
    if not settings.exists():
        # DuckDB has one writer: runs queue one at a time, and each runs its steps in one process.
        settings.write_text("telemetry:\n  enabled: false\nconcurrency:\n  runs:\n    max_concurrent_runs: 1\n")
    os.environ["DAGSTER_HOME"] = str(home)
    return home


def ensure_demo_sources(config_file: Path) -> None:
    """The built-in demo network is generated on first use; other configs bring their own sources."""
    from orchestration.demo.generator import generate

    if config_file.resolve() == DEMO_CONFIG.resolve() and not (sources_dir() / "manifest.json").exists():
        print(f"generating the demo network into {sources_dir()} ...")
        generate(sources_dir(), write_config=False)


def cmd_run(args: argparse.Namespace) -> int:

    from orchestration.config import ConfigError, load_config
    from orchestration.definitions import build_definitions
    from orchestration.progress import RunProgress
    from orchestration.raw import load_summary

    config_file = Path(args.config).resolve() if args.config else config_path()
    os.environ["PLANTSYNC_CONFIG"] = str(config_file)
    try:
        load_config(config_file)
    except ConfigError as exc:
        print(f"plantsync: {exc}", file=sys.stderr)
        return 2
    prepare_environment()
    ensure_demo_sources(config_file)
    warehouse = warehouse_path()
    defs = build_definitions(config_file, warehouse)
    started = clock.now()
    log = data_dir() / "logs" / f"run-{started:%Y%m%dT%H%M%S}.log"
    print(f"plantsync run: {config_file}; dbt's output goes to {log}", flush=True)
    progress = RunProgress(defs.resolve_asset_graph(), sys.stdout, started)
    failures = _materialize(defs, log, progress)
    summary = load_summary(warehouse, started) if warehouse.exists() else None
    _print_summary(summary, warehouse)
    if warehouse.exists():
        _print_plan(warehouse)
    if progress.written_back:
        print(f"written back: {progress.written_back}")
    if progress.published:
        print(f"published: {progress.published}")
        print("next: `make dashboard` (or `plantsync dashboard`) to open the analyst app")
    if failures:
        print(f"plantsync: {len(failures)} problem(s) in this run:", file=sys.stderr)
        for line in failures:
            print("  " + line.replace("\n", "\n  "), file=sys.stderr)
        return 1
    return 0


def _materialize(defs, log: Path, progress: RunProgress | None = None) -> list[str]:
    """Extract every source first, then build everything downstream in a second run; return one line
    per failed step and per group of extracts skipped behind one (empty when all went well).

    Two runs, so that one plant whose source is down fails only its own extracts: in one run Dagster
    would skip the whole warehouse build downstream of the failed step, and the other plants with it.
    Network reference data is the exception: without it no plant's codes can be checked or mapped, so a
    failed reference extract stops the run before the build and the last published state stands.
    `progress`, when given, hears every event of both runs as it happens.
    """
    import dagster as dg

    from orchestration.sources import REFERENCE_SITE

    graph = defs.resolve_asset_graph()
    extracts = dg.AssetSelection.key_prefixes(["raw"]).resolve(graph)
    rest = graph.get_all_asset_keys() - extracts
    job = defs.resolve_implicit_global_asset_job_def()
    quiet = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}  # progress and failures say it
    instance = dg.DagsterInstance.get()
    failures = []
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as sink, contextlib.redirect_stdout(sink):  # dbt's progress lines go to the log
        for selection in (extracts, rest):
            if not selection:
                continue
            run_id = str(uuid.uuid4())
            if progress:
                instance.add_event_listener(run_id, progress.on_event)
            result = job.execute_in_process(run_config=quiet, instance=instance, raise_on_error=False,
                                            asset_selection=list(selection), run_id=run_id)
            failed = _failed_steps(result)
            failures += [f"{step}: {reason}" for step, reason in failed.items()]
            failures += _skipped(graph, selection, result, failed)
            if any(step.startswith(f"raw/{REFERENCE_SITE}/") for step in failed):
                failures.append("warehouse not built, nothing published: network reference data did not load "
                                "(the last published state stands)")
                break
    return failures


def _failed_steps(result) -> dict[str, str]:
    """Each failed step and the real reason: the exception's own message, not Dagster's wrapper."""
    from orchestration.progress import step_name

    out = {}
    for event in result.all_events:
        if not event.is_step_failure:
            continue
        data = event.step_failure_data
        if data.user_failure_data and data.user_failure_data.description:
            reason = data.user_failure_data.description
        elif data.error:
            error = data.error
            while error.cause:
                error = error.cause
            text = error.message.strip()
            head, colon, rest = text.partition(": ")
            reason = f"{error.cls_name}: {rest if colon and head.endswith(error.cls_name) else text}"
        else:
            reason = "failed"
        out[step_name(event.step_key)] = reason
    return out


def _skipped(graph, selection, result, failed: dict[str, str]) -> list[str]:
    """Extracts that did not run because one they wait for failed, grouped by what they wait for."""
    done = {event.asset_key.to_user_string() for event in result.get_asset_materialization_events()}
    waiting: dict[str, list[str]] = {}
    for key in sorted(selection, key=lambda k: k.to_user_string()):
        name = key.to_user_string()
        if name in done or name in failed or not name.startswith("raw/"):
            continue
        blockers = sorted(p.to_user_string() for p in graph.get(key).parent_keys if p.to_user_string() in failed)
        waiting.setdefault(", ".join(blockers) or "an earlier step", []).append(name)
    return [f"skipped {', '.join(names)}: they wait for {blockers}, which failed"
            for blockers, names in waiting.items()]


def _print_summary(summary, warehouse: Path) -> None:
    if summary is None or summary.empty:
        print("nothing extracted in this run")
    else:
        print(f"{'plant':8} {'entity':22} {'read':>9} {'loaded':>9} {'quarantined':>11}  watermark")
        for row in summary.itertuples():
            watermark = row.watermark if isinstance(row.watermark, str) else "-"
            read, loaded = int(row.rows_read), int(row.rows_loaded)
            print(f"{row.plant_code:8} {row.entity:22} {read:>9,} {loaded:>9,} {read - loaded:>11,}  {watermark}")
        total = int(summary.rows_loaded.sum())
        print(f"{total:,} new raw rows" if total else "no new source data: nothing loaded twice")
    print(f"warehouse: {warehouse}")


def _print_plan(warehouse: Path) -> None:
    """The latest plan's headline figures, the value of synchronization, the supply it counts on and buys, and
    its promises to open orders."""
    import duckdb

    from optimization.pegging import LATE_REASONS

    with duckdb.connect(str(warehouse), read_only=True) as con:
        planned = {t for (t,) in con.execute("SELECT table_name FROM information_schema.tables "
                                             "WHERE table_schema = 'plans'").fetchall()}
        if "plan_sync_summary" not in planned:
            return
        latest = "(SELECT max(plan_id) FROM plans.plan_runs WHERE scenario = 'synchronized')"
        rows = dict((m, (s, c)) for m, s, c in con.execute(
            f"SELECT metric, synchronized, coordinated FROM plans.plan_sync_summary WHERE plan_id = {latest}").fetchall())
        promises = con.execute(f"""
            WITH lines AS (SELECT order_line_id, bool_or(supply_kind = 'unmet' OR days_late > 0) AS late,
                                  first(late_reason ORDER BY coalesce(ship_period, 1e9) DESC) AS reason
                           FROM plans.plan_pegging WHERE plan_id = {latest} AND order_line_id IS NOT NULL GROUP BY 1)
            SELECT count(*), count(*) FILTER (WHERE NOT late), count(*) FILTER (WHERE late),
                   {", ".join(f"count(*) FILTER (WHERE late AND reason = '{r}')" for r in LATE_REASONS)}
            FROM lines""").fetchone() if "plan_pegging" in planned else None
        receipts = con.execute(f"""SELECT source, sum(qty) FROM plans.plan_receipts WHERE plan_id = {latest}
                                   GROUP BY 1 ORDER BY 1""").fetchall() if "plan_receipts" in planned else []
        bought = con.execute(f"""SELECT sum(qty), count(DISTINCT supplier_id), sum(cost),
                                        count(DISTINCT supplier_id || item_id) FILTER (WHERE order_qty > qty + 1e-6)
                                 FROM plans.plan_purchases WHERE plan_id = {latest}""").fetchone() \
            if "plan_purchases" in planned else None
    if not rows:
        return
    sync_cost, alone_cost = rows["total_cost"]
    for who, index, cost in (("plan", 0, sync_cost), ("each plant alone", 1, alone_cost)):
        print(f"{who}: total cost {cost:,.0f} EUR, fill rate {rows['on_time_fill_rate'][index]:.1%} on time "
              f"({rows['fill_rate'][index]:.1%} by the horizon's end), overtime "
              f"{rows['overtime_hours'][index]:,.0f} h, {rows['transfer_units'][index]:,.0f} units "
              "transferred")
    saving = alone_cost - sync_cost
    print(f"value of synchronization: {saving:,.0f} EUR ({saving / alone_cost:.2%} of the coordinated plan's cost)")
    if receipts:
        print(f"supply on its way: {sum(q for _, q in receipts):,.0f} units ("
              + ", ".join(f"{source.replace('_', ' ')}s {q:,.0f}" for source, q in receipts) + ")")
    if bought and bought[0]:
        units, suppliers, cost, raised = bought
        print(f"materials to buy: {units:,.0f} units from {suppliers} suppliers, {cost:,.0f} EUR"
              + (f" (proposals for {raised} materials raised to their minimum order)" if raised else ""))
    if promises:
        lines, on_time, late, *reasons = promises
        unexplained = late - sum(reasons)
        print(f"open orders: {lines:,}, promised on time {on_time:,}, late {late:,} ("
              + ", ".join(f"{r} {n:,}" for r, n in zip(LATE_REASONS, reasons))
              + (f", no reason found {unexplained:,}" if unexplained else "") + ")")


def cmd_write_back(args: argparse.Namespace) -> int:
    """Write the current plan's released orders into the plants' ERPs (what the pipeline's write-back
    asset does), e.g. after an analyst approves a proposal."""
    from orchestration.config import ConfigError, load_config
    from orchestration.raw import connect
    from orchestration.sources import simulated_sources
    from orchestration.write_back import WriteBackRefused, write_back

    try:
        config = load_config(Path(args.config).resolve() if args.config else config_path())
    except ConfigError as exc:
        print(f"plantsync: {exc}", file=sys.stderr)
        return 2
    warehouse = warehouse_path()
    if not warehouse.exists():
        print(f"plantsync: no warehouse at {warehouse}: run `plantsync run` first", file=sys.stderr)
        return 2
    try:
        with connect(warehouse) as con, simulated_sources(config) as simulated:
            result = write_back(con, config, simulated, args.plan)
    except WriteBackRefused as exc:
        print(f"plantsync: {exc}", file=sys.stderr)
        return 2
    print(f"written back: {result.summary()}")
    return 1 if result.failures else 0


def cmd_generate(args: argparse.Namespace) -> int:
    from orchestration.demo.generator import generate

    out = Path(args.out)
    manifest = generate(out, plants=args.plants, items=args.items, days=args.days, seed=args.seed,
                        fault_rate=args.fault_rate, as_of=args.as_of)
    rows = sum(sum(entities.values()) for entities in manifest.counts.values())
    print(f"wrote {rows:,} source rows for {args.plants} plants into {out} "
          f"({len(manifest.faults)} faults, {len(manifest.late_files)} late files); config: {out / 'network.yaml'}")
    return 0


def cmd_ui(args: argparse.Namespace) -> int:
    """The Dagster UI, with schedules and sensors stopped unless the config or `--automation` turns them on
    (the flag through the environment, so for this session only)."""
    from orchestration.config import ConfigError, load_config
    from orchestration.defs.automation.definitions import AUTOMATION_ENV, automation_on
    from orchestration.defs.warehouse.project import ensure_manifest

    config_file = Path(args.config).resolve() if args.config else config_path()
    os.environ["PLANTSYNC_CONFIG"] = str(config_file)
    if args.automation:
        os.environ[AUTOMATION_ENV] = "1"
    try:
        running = automation_on(load_config(config_file))
    except ConfigError as exc:
        print(f"plantsync: {exc}", file=sys.stderr)
        return 2
    print("automation on: schedules and sensors start running" if running else
          "automation off: schedules and sensors start stopped (--automation, or `automation: {enabled: true}` "
          "in the config, turns them on; or switch them on one by one in the UI)", flush=True)
    prepare_environment()
    ensure_manifest()
    command = [str(Path(sys.executable).parent / "dagster"), "dev", "-m", "orchestration.definitions",
               "--host", "127.0.0.1", "--port", str(args.port)]
    return subprocess.call(command, cwd=REPO_ROOT)


def cmd_dashboard(args: argparse.Namespace) -> int:
    prepare_environment()
    command = [str(Path(sys.executable).parent / "streamlit"), "run", str(REPO_ROOT / "dashboards" / "streamlit_app.py"),
               "--server.address", "127.0.0.1", "--server.port", str(args.port), "--server.headless", "true",
               "--browser.gatherUsageStats", "false", "--client.toolbarMode", "viewer"]
    return subprocess.call(command, cwd=REPO_ROOT)


def parser() -> argparse.ArgumentParser:
    main_parser = argparse.ArgumentParser(prog="plantsync", description=__doc__.splitlines()[0])
    commands = main_parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="materialize the whole pipeline for a network config")
    run.add_argument("--config", help="network config YAML (default: the built-in demo network)")
    run.set_defaults(func=cmd_run)
    gen = commands.add_parser("generate", help="write a demo or benchmark network's sources and config")
    gen.add_argument("--plants", type=int, default=4)
    gen.add_argument("--items", type=int, default=30)
    gen.add_argument("--days", type=int, default=365)
    gen.add_argument("--seed", type=int, default=7)
    gen.add_argument("--fault-rate", type=float, default=0.0, help="share of rows given a fault (default 0)")
    gen.add_argument("--as-of", type=date.fromisoformat, default=None,
                     help="the last day of history (ISO date; default: today, by plantsync's clock)")
    gen.add_argument("--out", required=True, help="output folder")
    gen.set_defaults(func=cmd_generate)
    ui = commands.add_parser("ui", help="start the Dagster UI on 127.0.0.1")
    ui.add_argument("--config")
    ui.add_argument("--port", type=int, default=3000)
    ui.add_argument("--automation", action="store_true",
                    help="run the schedules and sensors in this session (default: the config's automation.enabled)")
    ui.set_defaults(func=cmd_ui)
    back = commands.add_parser("write-back", help="write the current plan's released orders into the plants' ERPs")
    back.add_argument("--config", help="network config YAML (default: the built-in demo network)")
    back.add_argument("--plan", help="the plan to write, refused unless it is the current plan (default: current)")
    back.set_defaults(func=cmd_write_back)
    dashboard = commands.add_parser("dashboard", help="serve the analyst app (Streamlit) on 127.0.0.1")
    dashboard.add_argument("--port", type=int, default=8501)
    dashboard.set_defaults(func=cmd_dashboard)
    return main_parser


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except (ValueError, OSError) as exc:
        print(f"plantsync: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
