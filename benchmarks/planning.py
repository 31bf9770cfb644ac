"""Planning benchmark: what Pyomo costs around HiGHS, against the same LP built straight as arrays.

    .venv/bin/python -m benchmarks.planning [--sizes 4x50x12 10x200x26 20x200x52] [--repeat 3]

For each generated network (plants x items x periods, `benchmarks.planning_instances`), synchronized,
each repetition runs every route in a fresh process, so peak memory is the route's own:
  pyomo    `build_model`, then Pyomo's highspy interface as `optimization.solve` uses it
           (set_instance = hand-off, optimize = solve, result loading + load_vars = read-back)
  lsfc     `build_model`, `LinearStandardFormCompiler` (mixed form) and one `passModel`, `run`,
           values written back into the Pyomo variables: Pyomo's fastest route to highspy
  arrays   `optimization.arrays`: the same LP as numpy/scipy arrays, one `passModel`, `run`,
           values read back into one table per variable family
These three use HiGHS's default LP method (dual simplex). The arrays route also runs with
`solver=ipm` with and without crossover, to compare HiGHS's methods on the same model.
Peak memory is the process's maximum resident set (getrusage), including the C++ solver; "added"
is that peak minus the peak before the route started (after imports and generating the network).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import highspy
import numpy as np
from pyomo.common.timing import HierarchicalTimer
from pyomo.contrib.solver.common.factory import SolverFactory
from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler

from benchmarks.planning_instances import generate
from optimization import build_model
from optimization.arrays import build_arrays

ROOT = Path(__file__).resolve().parent.parent
ROUTES = {"pyomo": {}, "lsfc": {}, "arrays": {},
          "arrays-ipm": {"solver": "ipm"}, "arrays-ipm-no-crossover": {"solver": "ipm", "run_crossover": "off"}}
TIME_LIMIT = 600.0


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _highs(options: dict):
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("time_limit", TIME_LIMIT)
    for key, value in options.items():
        highs.setOptionValue(key, value)
    return highs


def run_pyomo(data) -> dict:
    started = time.perf_counter()
    model = build_model(data, synchronized=True)
    built = time.perf_counter()
    timer = HierarchicalTimer()
    results = SolverFactory("highs").solve(model, time_limit=TIME_LIMIT, load_solutions=False, timer=timer,
                                           raise_exception_on_nonoptimal_result=False)
    results.solution_loader.load_vars()
    done = time.perf_counter()
    solve = timer.timers["optimize"].total_time
    handoff = timer.timers["set_instance"].total_time
    return {"build": built - started, "handoff": handoff, "solve": solve,
            "read_back": (done - built) - handoff - solve, "objective": results.incumbent_objective,
            "status": results.termination_condition.name,
            "variables": model.nvariables(), "constraints": model.nconstraints()}


def run_lsfc(data) -> dict:
    started = time.perf_counter()
    model = build_model(data, synchronized=True)
    built = time.perf_counter()
    form = LinearStandardFormCompiler().write(model, mixed_form=True)
    matrix = form.A.tocsc()
    sense = np.array([multiplier for _, multiplier in form.rows])
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = matrix.shape[1], matrix.shape[0]
    lp.col_cost_ = form.c.toarray().ravel()
    lp.col_lower_ = np.array([v.lb if v.lb is not None else -np.inf for v in form.columns], dtype=float)
    lp.col_upper_ = np.array([v.ub if v.ub is not None else np.inf for v in form.columns], dtype=float)
    lp.row_lower_ = np.where(sense >= 0, np.where(sense == 0, form.rhs, -np.inf), form.rhs)
    lp.row_upper_ = np.where(sense <= 0, np.where(sense == 0, form.rhs, np.inf), form.rhs)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = lp.num_col_, lp.num_row_
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = matrix.indptr, matrix.indices, matrix.data
    highs = _highs({})
    highs.passModel(lp)
    handed = time.perf_counter()
    highs.run()
    solved = time.perf_counter()
    for var, value in zip(form.columns, highs.getSolution().col_value, strict=True):
        var.set_value(value, skip_validation=True)
    done = time.perf_counter()
    return {"build": built - started, "handoff": handed - built, "solve": solved - handed, "read_back": done - solved,
            "objective": highs.getInfo().objective_function_value + float(form.c_offset[0]),
            "status": highs.modelStatusToString(highs.getModelStatus()),
            "variables": lp.num_col_, "constraints": lp.num_row_}


def run_arrays(data, options: dict) -> dict:
    started = time.perf_counter()
    arrays = build_arrays(data, synchronized=True)
    built = time.perf_counter()
    highs = _highs(options)
    highs.passModel(arrays.lp())
    handed = time.perf_counter()
    highs.run()
    solved = time.perf_counter()
    x = np.asarray(highs.getSolution().col_value)
    values = {family: block.values(x) for family, block in arrays.blocks.items()}
    done = time.perf_counter()
    return {"build": built - started, "handoff": handed - built, "solve": solved - handed, "read_back": done - solved,
            "objective": highs.getInfo().objective_function_value, "variables": arrays.matrix.shape[1],
            "status": highs.modelStatusToString(highs.getModelStatus()),
            "constraints": arrays.matrix.shape[0], "nonzeros": int(arrays.matrix.nnz),
            "rows_read": sum(len(v) for v in values.values())}


def child(route: str, size: tuple[int, int, int]) -> None:
    data = generate(*size)
    before = _peak_mb()
    figures = run_pyomo(data) if route == "pyomo" else run_lsfc(data) if route == "lsfc" \
        else run_arrays(data, ROUTES[route])
    figures.update(route=route, peak_mb=_peak_mb(), added_mb=_peak_mb() - before)
    print(json.dumps(figures))


def measure(route: str, size: str) -> dict:
    finished = subprocess.run([sys.executable, "-m", "benchmarks.planning", "--child", route, "--sizes", size],
                              capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(finished.stdout.strip().splitlines()[-1])


def _cpu() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor()


def _median(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def _span(runs: list[dict], key: str) -> str:
    return f"{_median(runs, key):.2f} ({min(r[key] for r in runs):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["4x50x12", "10x200x26", "20x200x52"])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", choices=list(ROUTES))
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "planning.md"))
    args = parser.parse_args()
    if args.child:
        child(args.child, tuple(int(n) for n in args.sizes[0].split("x")))
        return
    results = {}
    for size in args.sizes:
        for repetition in range(args.repeat):
            for route in ROUTES:
                run = measure(route, size)
                results.setdefault((size, route), []).append(run)
                print(f"{size} #{repetition + 1} {route}: " + ", ".join(
                    f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}" for k, v in run.items() if k != "route"),
                    flush=True)
    Path(args.out).write_text(render(results, args) + "\n")


def render(results: dict, args: argparse.Namespace) -> str:
    command = " ".join(["`.venv/bin/python -m benchmarks.planning --sizes", *args.sizes, f"--repeat {args.repeat}`"])
    lines = ["# Planning benchmark: Pyomo route against the direct array build (synchronized plan)", "",
             f"Command: {command}", "",
             (f"Machine: {os.cpu_count()} cores ({_cpu()}), shared; Python {platform.python_version()}. "
             f"{args.repeat} runs per route, each in a fresh process; seconds as median (min)."), "",
             ("| size (plants x items x periods) | variables | constraints | nonzeros | route | build s | hand-off s "
             "| solve s | read-back s | overhead / solve | build+hand-off / array build | peak MB (added) |"),
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for size in args.sizes:
        arrays = results[(size, "arrays")]
        array_build = _median(arrays, "build")
        for route in ROUTES:
            runs = results[(size, route)]
            overhead = [(r["build"] + r["handoff"] + r["read_back"]) / r["solve"] for r in runs]
            setup = (_median(runs, "build") + _median(runs, "handoff")) / array_build
            lines.append(f"| {size} | {runs[0]['variables']:,} | {runs[0]['constraints']:,} | "
                         f"{arrays[0]['nonzeros']:,} | {route} | {_span(runs, 'build')} | {_span(runs, 'handoff')} | "
                         f"{_span(runs, 'solve')} | {_span(runs, 'read_back')} | {statistics.median(overhead):.0%} | "
                         f"{setup:.1f}x | {_median(runs, 'peak_mb'):,.0f} ({_median(runs, 'added_mb'):,.0f}) |")
        objectives = {route: results[(size, route)][0]["objective"] for route in ROUTES}
        spread = (max(objectives.values()) - min(objectives.values())) / max(abs(min(objectives.values())), 1e-9)
        lines.append(f"| {size} | | | | objective (all routes) | {min(objectives.values()):,.2f} | relative "
                     f"spread {spread:.1e} | | | | | |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
