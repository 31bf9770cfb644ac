"""Dashboard benchmark: each page's render time (AppTest) against the raw DuckDB time of its own queries.

    .venv/bin/python -m benchmarks.dashboard prepare [--warehouse W] [--config C] [--horizon 12] [--time-limit 60]
    .venv/bin/python -m benchmarks.dashboard run [--repeat 5] [--browser]

`prepare` copies a large network's pipeline warehouse under benchmarks/work/dashboard/ (git-ignored),
plans it with the pipeline's own planning asset when it has no plans yet, and publishes it as the
pipeline does. `run` opens every page with Streamlit's AppTest in one process: the first load (cold
query cache) and `--repeat` further loads (the cache warm, as an analyst moving between pages sees
them). The baseline is the same page's SQL, recorded during its first load, run straight on the
published file: open read-only, execute, fetch a DataFrame, close. The ratio shows Streamlit's own cost.
`--browser` times the same pages served on loopback and loaded in Debian's chromium instead.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / "work" / "dashboard"
LARGE = Path("/work/main/benchmarks/work/warehouse_warmup.duckdb")  # 25 plants x 5,000 items x 365 days
LARGE_CONFIG = Path("/work/main/benchmarks/work/network_25p_5000i_365d/network.yaml")
PAGES = ["network", "plants", "inventory", "plan", "synchronization", "scenarios", "data_quality", "roi"]
GOAL_SECONDS = 1.0


def planning_config(config: Path, horizon: int, time_limit: float) -> Path:
    """A copy of the network config with the planning horizon and time limit the benchmark can afford."""
    import yaml

    raw = yaml.safe_load(config.read_text())
    raw["planning"].update(horizon_periods=horizon, time_limit_seconds=time_limit)
    copy = WORK / "network.yaml"
    copy.write_text(yaml.safe_dump(raw, sort_keys=False))
    return copy


def prepare(source: Path, config: Path, horizon: int, time_limit: float) -> Path:
    """A planned, published copy of `source`; returns the data directory to point PLANTSYNC_DATA_DIR at."""
    import dagster as dg
    import duckdb

    from orchestration.defs.planning.assets import network_plan
    from orchestration.defs.resources import PlantSources
    from orchestration.publish import publish

    WORK.mkdir(parents=True, exist_ok=True)
    warehouse = WORK / "warehouse.duckdb"
    shutil.copyfile(source, warehouse)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        planned = con.execute("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'plans'").fetchone()[0]
    if not planned:
        started = time.perf_counter()
        result = dg.materialize([network_plan], instance=dg.DagsterInstance.ephemeral(), resources={
            "sources": PlantSources(config_path=str(planning_config(config, horizon, time_limit)),
                                    warehouse_path=str(warehouse))})
        assert result.success
        print(f"planned in {time.perf_counter() - started:.1f} s")
    published = publish(warehouse, WORK / "data" / "published")
    print(f"published {published.database} ({sum(published.tables.values()):,} rows in {len(published.tables)} tables)")
    return WORK / "data"


def page_queries(page: str) -> list[tuple[str, tuple]]:
    """Open one page with a cold cache, recording the SQL it sends to the warehouse."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from dashboards.lib import warehouse

    st.cache_data.clear()  # a cold first load records every query the page needs, shared ones too
    recorded, run = [], warehouse._run

    def recording(path, sql, params):
        recorded.append((sql, params))
        return run(path, sql, params)

    warehouse._run = recording
    try:
        app = AppTest.from_file(str(ROOT / "dashboards" / "streamlit_app.py"), default_timeout=300)
        app.switch_page(f"app_pages/{page}.py").run()
        assert not app.exception, app.exception[0].value
    finally:
        warehouse._run = run
    return recorded


def time_page(page: str) -> float:
    from streamlit.testing.v1 import AppTest

    started = time.perf_counter()
    app = AppTest.from_file(str(ROOT / "dashboards" / "streamlit_app.py"), default_timeout=300)
    app.switch_page(f"app_pages/{page}.py").run()
    assert not app.exception, app.exception[0].value
    return time.perf_counter() - started


def time_queries(path: Path, queries: list[tuple[str, tuple]]) -> float:
    import duckdb

    started = time.perf_counter()
    for sql, params in queries:
        con = duckdb.connect(str(path), read_only=True)
        con.execute(sql, list(params)).df()
        con.close()
    return time.perf_counter() - started


def run(data: Path, repeat: int) -> list[str]:
    """One table row per page; the first page's first load also pays for the app's imports."""
    os.environ["PLANTSYNC_DATA_DIR"] = str(data)
    os.environ.setdefault("STREAMLIT_BROWSER_GATHER_USAGE_STATS", "false")
    warnings.simplefilter("ignore")  # pandas' deprecation notes from inside duckdb's .df()
    published = data / "published" / "warehouse.duckdb"
    header = (f"| page | first load s (cold cache) | queries | raw DuckDB s (median of {repeat}) | first / raw | "
              f"later loads s (median, min-max of {repeat}) | later under {GOAL_SECONDS:.0f} s |")
    lines = [header, "|---|---|---|---|---|---|---|"]
    for page in PAGES:
        started = time.perf_counter()
        queries = page_queries(page)
        first = time.perf_counter() - started
        later = [time_page(page) for _ in range(repeat)]
        raw = statistics.median(time_queries(published, queries) for _ in range(repeat))
        median = statistics.median(later)
        lines.append(f"| {page} | {first:.2f} | {len(queries)} | {raw:.3f} | {first / raw:.1f} | "
                     f"{median:.2f} ({min(later):.2f}-{max(later):.2f}) | {'yes' if median < GOAL_SECONDS else 'no'} |")
        print(lines[-1], flush=True)
    return lines


def browser(data: Path, repeat: int) -> list[str]:
    """Each page in Debian's chromium, until its script run has finished and its charts have drawn: first
    opened by its address (a full page load), then reached from the sidebar as an analyst moves between pages."""
    from playwright.sync_api import sync_playwright

    from tests.dashboards.test_browser import CHROMIUM, QUIET_CHROMIUM, serve, settle
    from tests.dashboards.test_browser import PAGES as PATHS

    def show(page, title: str) -> None:
        page.get_by_role("heading", name=title, exact=True).wait_for(timeout=60_000)
        settle(page, timeout=60)

    header = (f"| page | full page load s | from the sidebar s (median, min-max of {repeat}) | "
              f"from the sidebar under {GOAL_SECONDS:.0f} s |")
    lines = [header, "|---|---|---|---|"]
    with serve(data) as base, sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=QUIET_CHROMIUM)
        page = chromium.new_page(viewport={"width": 1400, "height": 1000})
        for path, title in PATHS.items():
            started = time.perf_counter()
            page.goto(f"{base}/{path}")
            show(page, title)
            first, later = time.perf_counter() - started, []
            away = "ROI" if title != "ROI" else "Network"
            for _ in range(repeat):
                page.get_by_role("link", name=away, exact=True).click()
                show(page, away)
                started = time.perf_counter()
                page.get_by_role("link", name=title, exact=True).click()
                show(page, title)
                later.append(time.perf_counter() - started)
            median = statistics.median(later)
            lines.append(f"| {path or 'network'} | {first:.2f} | {median:.2f} ({min(later):.2f}-{max(later):.2f}) | "
                         f"{'yes' if median < GOAL_SECONDS else 'no'} |")
            print(lines[-1], flush=True)
        chromium.close()
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    steps = parser.add_subparsers(dest="step", required=True)
    step = steps.add_parser("prepare")
    step.add_argument("--warehouse", type=Path, default=LARGE)
    step.add_argument("--config", type=Path, default=LARGE_CONFIG)
    step.add_argument("--horizon", type=int, default=12, help="planning periods (weeks)")
    step.add_argument("--time-limit", type=float, default=60.0, help="seconds per plan solve")
    step = steps.add_parser("run")
    step.add_argument("--data", type=Path, default=WORK / "data")
    step.add_argument("--repeat", type=int, default=5)
    step.add_argument("--out", type=Path, help="also write the table to this markdown file")
    step.add_argument("--browser", action="store_true", help="time page loads in chromium instead of AppTest")
    args = parser.parse_args()
    if args.step == "prepare":
        prepare(args.warehouse, args.config, args.horizon, args.time_limit)
        return
    lines = browser(args.data, args.repeat) if args.browser else run(args.data, args.repeat)
    if args.out:
        args.out.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
