"""Network design benchmark: capacitated facility location instances, solved by `design_network`.

    .venv/bin/python -m benchmarks.design [--repeat 3] [--out benchmarks/results/design.md]

Instances in the style of Cornuejols, Sridharan and Thizy (1991): sites and customers are points in the
unit square; each customer needs U[5, 35] units of each family it buys; an option's capacity is U[10, 160],
scaled so the options of a family can supply `ratio` times its demand, and its fixed cost is
U[0, 90] + U[100, 110] sqrt(capacity); serving costs 10 x distance per unit. With `ratio` 10 about a
tenth of the sites' capacity covers the demand, so a handful of sites open.
Runs, each repeated and reported as the median:
  - 100 sites x 1000 customers (one family) and 25 plants x 4 families x 500 customers, with and without
    the linking rows: build seconds, solve seconds, gap, nodes;
  - 20 sites x 200 customers: the Pyomo build of git `main`'s optimization/design.py (quadratic scans)
    against this build, on the same instance and in the same run.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from optimization.design import design_network

ROOT = Path(__file__).resolve().parent.parent
TIME_LIMIT = 60.0


def generate(sites: int, customers: int, families: int = 1, *, ratio: float = 10.0, buys: float = 1.0,
             seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """demand, options and serve_cost for `design_network`; with several families each customer buys
    each family with probability `buys` (at least one)."""
    rng = np.random.default_rng(seed)
    site_xy, customer_xy = rng.random((sites, 2)), rng.random((customers, 2))
    plant = np.array([f"P{i:03d}" for i in range(sites)])
    customer = np.array([f"C{j:04d}" for j in range(customers)])
    family = np.array([f"F{k}" for k in range(families)])
    buying = rng.random((customers, families)) < buys
    buying[np.arange(customers), rng.integers(families, size=customers)] = True
    c, f = np.nonzero(buying)
    demand = pd.DataFrame({"customer_id": customer[c], "product_family": family[f],
                           "qty": rng.integers(5, 36, size=len(c)).astype(float)})
    capacity = rng.uniform(10, 160, size=(sites, families))
    capacity *= ratio * demand.groupby("product_family").qty.sum().reindex(family).to_numpy() / capacity.sum(axis=0)
    fixed = rng.uniform(0, 90, size=capacity.shape) + rng.uniform(100, 110, size=capacity.shape) * np.sqrt(capacity)
    options = pd.DataFrame({"plant_code": np.repeat(plant, families), "product_family": np.tile(family, sites),
                            "fixed_cost": fixed.ravel(), "capacity": capacity.ravel()})
    distance = np.linalg.norm(site_xy[:, None, :] - customer_xy[None, :, :], axis=2)
    serve_cost = pd.DataFrame({"plant_code": np.repeat(plant, customers), "customer_id": np.tile(customer, sites),
                               "cost_per_unit": 10.0 * distance.ravel()})
    return demand, options, serve_cost


def _main_design_module():
    """git `main`'s optimization/design.py, loaded from a temporary copy."""
    source = subprocess.run(["git", "show", "main:optimization/design.py"], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout
    path = Path(tempfile.mkdtemp()) / "design_main.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("design_main", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _median(runs: list[dict]) -> dict:
    return {key: statistics.median(run[key] for run in runs) if isinstance(runs[0][key], (int, float))
            else runs[0][key] for key in runs[0]}


def _design_runs(instance, repeat: int, linking: bool) -> dict:
    runs = []
    for _ in range(repeat):
        design = design_network(*instance, time_limit=TIME_LIMIT, linking=linking)
        runs.append({"status": design.status, "build s": design.build_seconds, "solve s": design.solve_seconds,
                     "gap %": 100 * design.gap, "nodes": design.nodes, "cost": design.total_cost,
                     "open": int(design.chosen.is_open.sum())})
    return _median(runs)


def _old_against_new(instance, repeat: int) -> dict:
    old = _main_design_module()
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        old.build_design_model(*instance)
        old_build = time.perf_counter() - started
        started = time.perf_counter()
        _, old_cost = old.design_network(*instance)
        old_total = time.perf_counter() - started
        design = design_network(*instance)
        runs.append({"old build s": old_build, "old build+solve s": old_total, "new build s": design.build_seconds,
                     "new build+solve s": design.build_seconds + design.solve_seconds,
                     "build ratio": old_build / design.build_seconds,
                     "total ratio": old_total / (design.build_seconds + design.solve_seconds),
                     "same cost": bool(np.isclose(old_cost, design.total_cost, rtol=1e-6))})
    return _median(runs)


def _table(rows: list[dict]) -> str:
    columns = list(rows[0])
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in rows:
        lines.append("| " + " | ".join(f"{v:.3g}" if isinstance(v, float) else str(v) for v in row.values()) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows = []
    for label, shape in (("100 sites x 1000 customers", (100, 1000, 1)),
                         ("25 plants x 4 families x 500 customers", (25, 500, 4))):
        instance = generate(*shape, buys=0.5)
        for linking in (True, False):
            rows.append({"instance": label, "linking rows": linking, **_design_runs(instance, args.repeat, linking)})
            print(rows[-1], flush=True)
    comparison = {"instance": "20 sites x 200 customers", **_old_against_new(generate(20, 200), args.repeat)}
    print(comparison, flush=True)
    print(_table(rows))
    print(_table([comparison]))


if __name__ == "__main__":
    main()
