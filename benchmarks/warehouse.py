"""Warehouse benchmark: `dbt build` against the very SQL it ran, executed straight in DuckDB.

    .venv/bin/python -m benchmarks.warehouse [--raw benchmarks/work/pipeline.duckdb] [--repeat 2]

Needs a raw layer to build from: by default the one the extraction benchmark leaves behind for the
large network (25 plants, 5,000 items, 365 days). Each repetition, in fresh processes and in turn:
  dbt      `dbt build` (models and tests) on a fresh copy of the raw warehouse
  direct   the SQL statements dbt executed (target/run/, in dbt's own execution order, tests included),
           run by one DuckDB connection on another fresh copy
Reports wall time and peak memory of each, and the ratio dbt/direct per pair.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / "work"
TRANSFORMS = ROOT / "transforms"
DBT = str(Path(sys.executable).parent / "dbt")
CATALOG = "warehouse_replayed"  # the warm-up build's file name, which dbt writes into its SQL


def _fresh_copy(raw: Path, name: str) -> Path:
    target = WORK / f"{name}.duckdb"
    target.unlink(missing_ok=True)
    shutil.copyfile(raw, target)
    return target


def _peak_children_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def run_dbt(warehouse: Path) -> None:
    env = {**os.environ, "PLANTSYNC_WAREHOUSE": str(warehouse), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    subprocess.run([DBT, "build", "--quiet", "--project-dir", str(TRANSFORMS), "--profiles-dir", str(TRANSFORMS)],
                   env=env, check=True)


def executed_statements() -> list[Path]:
    """The SQL files dbt ran in its last build, in the order it ran them."""
    results = json.loads((TRANSFORMS / "target" / "run_results.json").read_text())
    manifest = json.loads((TRANSFORMS / "target" / "manifest.json").read_text())
    files = []
    for result in sorted(results["results"], key=lambda r: r["timing"][0]["started_at"] if r["timing"] else ""):
        node = manifest["nodes"].get(result["unique_id"])
        if node is None or node["resource_type"] == "unit_test":
            continue
        path = TRANSFORMS / "target" / "run" / node["package_name"] / node["original_file_path"]
        if node["resource_type"] == "test":
            path = TRANSFORMS / "target" / "run" / node["package_name"] / node["original_file_path"] / node["path"]
        if path.is_file():
            files.append(path)
    return files


def run_direct(warehouse: Path, sql: list[str]) -> None:
    """Replay the statements; the copy is attached under the catalog name dbt's SQL spells out."""
    import duckdb

    con = duckdb.connect()
    con.execute(f"ATTACH '{warehouse}' AS {CATALOG}")
    con.execute(f"USE {CATALOG}")
    con.execute("CREATE SCHEMA IF NOT EXISTS staging; CREATE SCHEMA IF NOT EXISTS intermediate; "
                "CREATE SCHEMA IF NOT EXISTS marts")
    for text in sql:
        # dbt builds each relation under a temporary name and renames it; here it is built in place.
        text = text.replace('__dbt_tmp"', '"')
        for statement in text.split(";\n"):
            if statement.strip():
                con.execute(statement)
    con.close()


def child(mode: str, warehouse: Path, files_json: Path | None) -> None:
    if mode == "dbt":
        run_dbt(warehouse)
        peak = _peak_children_mb()
    else:
        run_direct(warehouse, json.loads(files_json.read_text()))
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"peak_mb": round(peak, 1)}))


def measure(mode: str, raw: Path, files_json: Path) -> dict:
    warehouse = _fresh_copy(raw, f"warehouse_{mode}")
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "benchmarks.warehouse", "--child", mode, str(warehouse),
                           str(files_json)], cwd=ROOT, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - started
    return {"mode": mode, "wall_s": round(wall, 2), **json.loads(done.stdout.strip().splitlines()[-1])}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--raw", default=str(WORK / "pipeline.duckdb"))
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "warehouse.md"))
    parser.add_argument("--child", nargs=3, metavar=("MODE", "WAREHOUSE", "FILES"))
    args = parser.parse_args()
    if args.child:
        mode, warehouse, files_json = args.child
        child(mode, Path(warehouse), Path(files_json))
        return
    raw = Path(args.raw)
    import duckdb

    with duckdb.connect(str(raw), read_only=True) as con:
        rows = sum(con.execute(f'SELECT count(*) FROM raw."{t}"').fetchone()[0] for (t,) in con.execute(
            "SELECT table_name FROM information_schema.columns WHERE table_schema = 'raw' "
            "AND column_name = '_plant_code'").fetchall())
    warm = _fresh_copy(raw, CATALOG)
    run_dbt(warm)  # a first build writes target/run/ with the SQL the direct runs replay
    files = executed_statements()
    files_json = WORK / "executed_sql.json"
    files_json.write_text(json.dumps([p.read_text() for p in files]))
    results = []
    for _ in range(args.repeat):
        for mode in ("dbt", "direct"):
            results.append(measure(mode, raw, files_json))
            print(json.dumps(results[-1]))
    dbt_runs = [r for r in results if r["mode"] == "dbt"]
    direct = [r for r in results if r["mode"] == "direct"]
    ratios = [a["wall_s"] / b["wall_s"] for a, b in zip(dbt_runs, direct)]
    lines = [f"# Warehouse benchmark ({rows:,} raw rows, {raw.name})", "",
             (f"Command: `.venv/bin/python -m benchmarks.warehouse --raw {Path(args.raw).resolve().relative_to(ROOT)} "
             f"--repeat {args.repeat}`"), "",
             "| run | wall s (median, min-max) | peak MB (median) |", "|---|---|---|"]
    for name, group in (("dbt build (models + tests)", dbt_runs), ("same SQL run directly in DuckDB", direct)):
        walls = [r["wall_s"] for r in group]
        lines.append(f"| {name} | {statistics.median(walls):.1f} ({min(walls):.1f}-{max(walls):.1f}) | "
                     f"{statistics.median(r['peak_mb'] for r in group):,.0f} |")
    lines += ["", (f"{len(files)} SQL files replayed. Ratio dbt / direct per pair: "
                  f"{', '.join(f'{r:.2f}' for r in ratios)} (median {statistics.median(ratios):.2f})."), "",
              ("Both include process start-up; dbt's fixed cost (about 2 s of parsing and start-up) is part of "
              "what the ratio measures. Shared 2-core machine: read the ratio, not the seconds.")]
    Path(args.out).write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
