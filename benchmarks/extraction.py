"""Extraction benchmark: plantsync's raw loads against DuckDB's own read_csv of the same flat files.

    .venv/bin/python -m benchmarks.extraction [--plants 25 --items 5000 --days 365] [--repeat 3]

Generates the network once under benchmarks/work/ (git-ignored), then, in alternation so machine drift
hits both alike, runs in fresh processes:
  files     plantsync's connectors, raw suites (GX) and raw layer on every flat-file source (SAP
            extracts, generic CSV, network reference data)
  read_csv  DuckDB's read_csv (all_varchar) of exactly the same files into a DuckDB file
and once, the whole extract pipeline (all sources, every plant, through Dagster). Reports wall time,
rows/s and peak memory per run, the medians, and the ratio files/read_csv per pair.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from orchestration.sources import REFERENCE, Connector, SourceEntity, erp_connector, reference_connector
from orchestration.sources.files import DelimitedFileConnector

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / "work"


def _file_sources(config_file: Path) -> list[tuple[Connector, list[SourceEntity]]]:
    """Every flat-file source of the network, reference data first (plant rows are checked against it)."""
    from orchestration.config import load_config

    config = load_config(config_file)
    sources = [(reference_connector(config), list(REFERENCE.entities))]
    for plant in config.plants:
        connector = erp_connector(config, plant, {})
        if isinstance(connector, DelimitedFileConnector):
            sources.append((connector, list(connector.kind_entities())))
    return sources


def run_files(config_file: Path, warehouse: Path) -> int:
    """plantsync's own path: connector -> raw suite -> raw table, one transaction per (plant, entity)."""
    from orchestration.config import load_config
    from orchestration.raw import load_entity

    plants = [p.code for p in load_config(config_file).plants]
    rows = 0
    for connector, entities in _file_sources(config_file):
        for entity in entities:
            rows += load_entity(warehouse, connector, entity, plants).rows_read
    return rows


def run_read_csv(config_file: Path, warehouse: Path) -> int:
    """The baseline: DuckDB reads the same files as text into one table per (plant, entity)."""
    import duckdb

    rows = 0
    con = duckdb.connect(str(warehouse))
    for connector, entities in _file_sources(config_file):
        for entity in entities:
            files = [str(p) for p in connector.files(entity)]
            if not files:
                continue
            table = f'"{connector.plant_code}__{entity.entity}"'
            con.execute(f"CREATE TABLE {table} AS SELECT * FROM read_csv(?, delim=?, header=true, "
                        "all_varchar=true, filename=true)", [files, connector.delimiter])
            rows += con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    con.close()
    return rows


def run_pipeline(config_file: Path, warehouse: Path) -> int:
    """Every extract asset of every plant through Dagster's in-process executor."""
    import dagster as dg

    from orchestration.definitions import build_definitions
    from orchestration.raw import load_summary

    defs = build_definitions(config_file, warehouse)
    job = defs.resolve_implicit_global_asset_job_def()
    raw_keys = list(dg.AssetSelection.key_prefixes(["raw"]).resolve(defs.resolve_asset_graph()))
    started = time.time()
    result = job.execute_in_process(instance=dg.DagsterInstance.ephemeral(), asset_selection=raw_keys,
                                    run_config={"loggers": {"console": {"config": {"log_level": "ERROR"}}}})
    assert result.success
    from datetime import UTC, datetime

    return int(load_summary(warehouse, datetime.fromtimestamp(started - 5, UTC)).rows_loaded.sum())


MODES = {"files": run_files, "read_csv": run_read_csv, "pipeline": run_pipeline}


def measure(mode: str, config_file: Path, warehouse: Path) -> dict:
    """Run one mode in a fresh process; wall time, rows and that process's peak memory."""
    warehouse.unlink(missing_ok=True)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "benchmarks.extraction", "--child", mode, str(config_file),
                           str(warehouse)], cwd=ROOT, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - started
    child = json.loads(done.stdout.strip().splitlines()[-1])
    return {"mode": mode, "wall_s": wall, "rows": child["rows"], "peak_mb": child["peak_mb"]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--plants", type=int, default=25)
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", nargs=3, metavar=("MODE", "CONFIG", "WAREHOUSE"))
    args = parser.parse_args()
    if args.child:
        mode, config_file, warehouse = args.child
        rows = MODES[mode](Path(config_file), Path(warehouse))
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps({"rows": rows, "peak_mb": round(peak_mb, 1)}))
        return

    from orchestration.demo.generator import generate

    network = WORK / f"network_{args.plants}p_{args.items}i_{args.days}d"
    if not (network / "manifest.json").exists():
        started = time.perf_counter()
        generate(network, plants=args.plants, items=args.items, days=args.days)
        print(f"generated {network} in {time.perf_counter() - started:.0f} s")
    config_file = network / "network.yaml"
    results = []
    for _ in range(args.repeat):
        for mode in ("files", "read_csv"):
            results.append(measure(mode, config_file, WORK / f"{mode}.duckdb"))
            print(json.dumps(results[-1]))
    results.append(measure("pipeline", config_file, WORK / "pipeline.duckdb"))
    print(json.dumps(results[-1]))

    files = [r for r in results if r["mode"] == "files"]
    base = [r for r in results if r["mode"] == "read_csv"]
    ratios = [f["wall_s"] / b["wall_s"] for f, b in zip(files, base)]
    pipeline = results[-1]
    lines = [
        f"# Extraction benchmark ({args.plants} plants, {args.items} items, {args.days} days)", "",
        (f"Command: `.venv/bin/python -m benchmarks.extraction --plants {args.plants} --items {args.items} "
        f"--days {args.days} --repeat {args.repeat}`"), "",
        "| run | rows | wall s (median, min-max) | rows/s (median) | peak MB (median) |", "|---|---|---|---|---|",
    ]
    for name, group in (("plantsync file extracts (with GX raw suites)", files), ("DuckDB read_csv, same files", base),
                        ("whole extract pipeline (all sources, Dagster)", [pipeline])):
        walls = [r["wall_s"] for r in group]
        lines.append(f"| {name} | {group[0]['rows']:,} | {statistics.median(walls):.1f} "
                     f"({min(walls):.1f}-{max(walls):.1f}) | {group[0]['rows'] / statistics.median(walls):,.0f} | "
                     f"{statistics.median(r['peak_mb'] for r in group):,.0f} |")
    lines += ["", (f"Ratio plantsync / read_csv per pair: {', '.join(f'{r:.2f}' for r in ratios)} "
                  f"(median {statistics.median(ratios):.2f})."), "",
              ("Wall times include process start-up and imports (about 1-2 s each). Pairs run alternately so "
              "drift of this shared 2-core machine hits both; read the ratio, not the absolute seconds.")]
    out = ROOT / "benchmarks" / "results" / "extraction.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
