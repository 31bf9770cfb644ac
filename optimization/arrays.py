"""The plan of `optimization.model` built straight as arrays and handed to HiGHS in one `passModel`:
the production build, at every size.

Same variables, constraints and objective as the Pyomo model (the readable reference, which tests
hold it equal to on generated instances), built with joins and numpy instead of one Python object per
term: from the demo's size up, Pyomo's build, hand-off and read-back cost several times the array
build, and more than HiGHS's solve on large networks (benchmarks/results/planning.md). One difference in form, not in
meaning: the overtime limit is a column bound here, a constraint row in Pyomo.
Columns come in blocks, one per variable family; inside a block, key after key, period after period.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import highspy
import numpy as np
import pandas as pd
from scipy import sparse

from optimization.data import PlanningData, shortfall_penalties
from optimization.model import (
    ANCHORED,
    CHANGE_PENALTY,
    index_sets,
    lead_split,
    supplier_limits,
    supply_bounds,
)
from optimization.solve import PlanningSolveError

# variable family -> the objective component its costs count towards (as in optimization.model)
COST_OF = {"production": "cost_production", "purchases": "cost_purchase", "stock": "cost_holding",
           "transfers": "cost_transport", "shipments": "cost_transport", "overtime": "cost_overtime",
           "backlog": "cost_backlog", "shortfall": "cost_shortfall"}


@dataclass
class Block:
    """One variable family: its keys (in column order) and where its columns start."""

    keys: pd.DataFrame
    start: int
    periods: int

    def positions(self, frame: pd.DataFrame, on: dict[str, str] | None = None) -> np.ndarray:
        """The key position of each row of `frame` (-1 where the key is not in the block);
        `on` maps the block's key columns to the frame's when their names differ."""
        on = on or {}
        left = [on.get(c, c) for c in self.keys.columns]
        found = frame[left].merge(self.keys.assign(_pos=np.arange(len(self.keys))), how="left",
                                  left_on=left, right_on=list(self.keys.columns))
        return found._pos.fillna(-1).to_numpy(dtype=np.int64)

    def column(self, position: np.ndarray, period: np.ndarray) -> np.ndarray:
        """Column of key `position` in 1-based `period`."""
        return self.start + position * self.periods + period - 1

    def values(self, x: np.ndarray) -> pd.DataFrame:
        """The block's solution as key columns, period and qty, in column order."""
        frame = self.keys.loc[self.keys.index.repeat(self.periods)].reset_index(drop=True)
        frame["period"] = np.tile(np.arange(1, self.periods + 1), len(self.keys))
        frame["qty"] = x[self.start:self.start + len(self.keys) * self.periods]
        return frame


def highs_lp(matrix: sparse.csc_array, cost: np.ndarray, col_lower: np.ndarray, col_upper: np.ndarray,
             row_lower: np.ndarray, row_upper: np.ndarray) -> highspy.HighsLp:
    """A model as HiGHS's own LP (column-wise matrix), ready for one `passModel`."""
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = matrix.shape[1], matrix.shape[0]
    lp.col_cost_, lp.col_lower_, lp.col_upper_ = cost, col_lower, col_upper
    lp.row_lower_, lp.row_upper_ = row_lower, row_upper
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = lp.num_col_, lp.num_row_
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = matrix.indptr, matrix.indices, matrix.data
    return lp


@dataclass
class PlanArrays:
    """The LP min c.x, row_lower <= A x <= row_upper, col_lower <= x <= col_upper, and its blocks."""

    blocks: dict[str, Block]
    cost: np.ndarray
    col_lower: np.ndarray
    col_upper: np.ndarray
    matrix: sparse.csc_array
    row_lower: np.ndarray
    row_upper: np.ndarray
    name: str

    def lp(self) -> highspy.HighsLp:
        return highs_lp(self.matrix, self.cost, self.col_lower, self.col_upper, self.row_lower, self.row_upper)

    def fix(self, family: str, frame: pd.DataFrame) -> None:
        """Fix the family's variables listed in `frame` (key columns, period, qty) at qty; rows whose key
        is not in the model are ignored, like fixing only variables that exist."""
        block = self.blocks[family]
        position = block.positions(frame)
        known = position >= 0
        columns = block.column(position[known], frame.period.to_numpy(np.int64)[known])
        self.col_lower[columns] = self.col_upper[columns] = frame.qty.to_numpy()[known]

    def anchor(self, family: str, current: pd.DataFrame) -> None:
        """Charge CHANGE_PENALTY per unit the family's variables differ from `current` (key columns, period,
        qty; zero where it has no row): x - raised + lowered = current, with raised and lowered costed."""
        block = self.blocks[family]
        size = len(block.keys) * block.periods
        reference = np.zeros(size)
        position = block.positions(current)
        known = position >= 0
        reference[block.column(position[known], current.period.to_numpy(np.int64)[known]) - block.start] = \
            current.qty.to_numpy(float)[known]
        rows, columns = self.matrix.shape
        identity = sparse.eye_array(size, format="csc")
        picked = sparse.csc_array((np.ones(size), (np.arange(size), block.start + np.arange(size))),
                                  shape=(size, columns))
        self.matrix = sparse.vstack([sparse.hstack([self.matrix, sparse.csc_array((rows, 2 * size))]),
                                     sparse.hstack([picked, -identity, identity])], format="csc")
        self.cost = np.concatenate([self.cost, np.full(2 * size, CHANGE_PENALTY)])
        self.col_lower = np.concatenate([self.col_lower, np.zeros(2 * size)])
        self.col_upper = np.concatenate([self.col_upper, np.full(2 * size, np.inf)])
        self.row_lower = np.concatenate([self.row_lower, reference])
        self.row_upper = np.concatenate([self.row_upper, reference])


class _Rows:
    """Collects one constraint family after another as (row, column, coefficient) triplets."""

    def __init__(self, periods: int):
        self.periods = periods
        self.count = 0
        self.entries: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self.lower: list[np.ndarray] = []
        self.upper: list[np.ndarray] = []

    def family(self, keys: int, lower: np.ndarray, upper: np.ndarray) -> int:
        """Add `keys` x periods rows with these bounds (arrays in the same order); returns the first row."""
        start = self.count
        self.count += keys * self.periods
        self.lower.append(np.broadcast_to(lower, keys * self.periods))
        self.upper.append(np.broadcast_to(upper, keys * self.periods))
        return start

    def terms(self, first_row: int, row_key: np.ndarray, block: Block, col_key: np.ndarray, coefficient,
              lag=0) -> None:
        """coefficient * var[col_key, t - lag] in row (row_key, t) for every period t with t - lag >= 1 (zero
        coefficients left out)."""
        coefficient = np.broadcast_to(np.asarray(coefficient, dtype=float), row_key.shape)
        keep = (row_key >= 0) & (col_key >= 0) & (coefficient != 0)
        row_key, col_key, coefficient = row_key[keep], col_key[keep], coefficient[keep]
        lag = np.broadcast_to(np.asarray(lag, dtype=np.int64), keep.shape)[keep]
        period = np.arange(1, self.periods + 1)
        valid = period[None, :] - lag[:, None] >= 1
        rows = first_row + row_key[:, None] * self.periods + period[None, :] - 1
        columns = block.column(col_key[:, None], period[None, :] - lag[:, None])
        self.entries.append((rows[valid], columns[valid], np.broadcast_to(coefficient[:, None], valid.shape)[valid]))


def build_arrays(data: PlanningData, synchronized: bool = True, *, fixed: dict[str, pd.DataFrame] | None = None,
                 anchor: dict[str, pd.DataFrame] | None = None) -> PlanArrays:
    """The plan of `build_model(data, synchronized, fixed=fixed, anchor=anchor)` as arrays."""
    periods = data.periods
    sets = index_sets(data, synchronized)
    safety = data.safety_stock.groupby(["plant_code", "item_id"]).qty.sum().reset_index()
    safety = safety.merge(sets["stock"])
    keys = {**{name: sets[name] for name in ("production", "purchases", "transfers", "shipments", "stock")},
            "backlog": sets["demand_keys"],
            "overtime": pd.DataFrame({"work_center_id": sorted(set(data.capacity.work_center_id))}),
            "shortfall": safety[["plant_code", "item_id"]]}
    blocks, start = {}, 0
    for family, frame in keys.items():
        blocks[family] = Block(frame.reset_index(drop=True), start, periods)
        start += len(frame) * periods
    production, purchases, transfers, shipments, stock, backlog, overtime, shortfall = blocks.values()

    lanes = data.lanes.drop_duplicates(["from_plant_code", "to_plant_code"])
    lane_of = transfers.keys.merge(lanes, how="left")
    option_of = purchases.keys.merge(data.supply_options.drop_duplicates(["supplier_id", "plant_code", "item_id"]),
                                     how="left")
    items = data.items.set_index("item_id")
    delivery = shipments.keys.merge(data.delivery_lanes.drop_duplicates(["plant_code", "customer_id"]), on=["plant_code", "customer_id"], how="left")
    overtime_cost = data.capacity.groupby("work_center_id").overtime_cost.max()
    cost = np.concatenate([
        np.repeat(items.production_cost.reindex(production.keys.item_id).to_numpy(float), periods),
        np.repeat(option_of.unit_price.to_numpy(float), periods),
        np.repeat(lane_of.cost_per_unit.to_numpy(float), periods),
        np.repeat(delivery.cost_per_unit.to_numpy(float), periods),
        np.repeat(items.holding_cost.reindex(stock.keys.item_id).to_numpy(float), periods),
        np.repeat(items.backlog_penalty.reindex(backlog.keys.item_id).to_numpy(float), periods),
        np.repeat(overtime_cost.reindex(overtime.keys.work_center_id).to_numpy(float), periods),
        shortfall_penalties(data, shortfall.keys.item_id).ravel()])
    by_center = data.capacity.set_index(["work_center_id", "period"])
    center_periods = pd.MultiIndex.from_arrays([np.repeat(overtime.keys.work_center_id, periods),
                                                np.tile(np.arange(1, periods + 1), len(overtime.keys))])
    col_lower = np.zeros(start)
    col_upper = np.full(start, np.inf)
    col_upper[overtime.start:overtime.start + len(overtime.keys) * periods] = \
        by_center.overtime_limit_hours.reindex(center_periods).fillna(0.0).to_numpy(float)
    col_upper[production.column(np.arange(len(production.keys))[:, None],
                                np.arange(1, data.frozen_periods + 1)[None, :])] = 0.0  # frozen: no new production
    if not synchronized:
        bounds = supply_bounds(data)
        bounded = pd.DataFrame(list(bounds), columns=["from_plant_code", "to_plant_code", "item_id"])
        position = transfers.positions(bounded)
        known = position >= 0
        columns = transfers.column(position[known][:, None], np.arange(1, periods + 1)[None, :])
        col_upper[columns] = np.fromiter(bounds.values(), float, len(bounds))[known][:, None]

    rows = _Rows(periods)
    # flow_balance: stock[t] - stock[t-1] - made - arriving + leaving + shipped + consumed
    #               == initial (t = 1) + scheduled receipts
    initial = data.initial_inventory.groupby(["plant_code", "item_id"]).qty.sum()
    opening = np.zeros((len(stock.keys), periods))
    opening[:, 0] = initial.reindex(pd.MultiIndex.from_frame(stock.keys)).fillna(0.0).to_numpy(float)
    receipts = data.scheduled_receipts.groupby(["plant_code", "item_id", "period"], as_index=False).qty.sum()
    np.add.at(opening, (stock.positions(receipts), receipts.period.to_numpy(np.int64) - 1), receipts.qty.to_numpy(float))
    first = rows.family(len(stock.keys), opening.ravel(), opening.ravel())
    n_stock = np.arange(len(stock.keys))
    rows.terms(first, n_stock, stock, n_stock, 1.0)
    rows.terms(first, n_stock, stock, n_stock, -1.0, lag=1)
    rows.terms(first, stock.positions(production.keys), production, np.arange(len(production.keys)), -1.0)
    n_transfers = np.arange(len(transfers.keys))
    n_purchases = np.arange(len(purchases.keys))
    # arriving: (1 - r) of what was sent k periods before, r of what was sent k + 1 before (`lead_split`)
    for block, keys_at, to_stock, days in (
            (transfers, n_transfers, stock.positions(transfers.keys, {"plant_code": "to_plant_code"}),
             lane_of.transit_days),
            (purchases, n_purchases, stock.positions(purchases.keys), option_of.lead_time_days)):
        whole, late = lead_split(days.to_numpy(float), data.days_per_period)
        rows.terms(first, to_stock, block, keys_at, late - 1.0, lag=whole.astype(np.int64))
        rows.terms(first, to_stock, block, keys_at, -late, lag=whole.astype(np.int64) + 1)
    rows.terms(first, stock.positions(transfers.keys, {"plant_code": "from_plant_code"}), transfers, n_transfers,
               1.0)
    rows.terms(first, stock.positions(shipments.keys), shipments, np.arange(len(shipments.keys)), 1.0)
    consumed = production.keys.merge(data.bom, left_on="item_id", right_on="parent_item_id")
    rows.terms(first, stock.positions(consumed, {"item_id": "component_item_id"}), production,
               production.positions(consumed), consumed.qty_per.to_numpy(float))

    # backlog_balance: backlog[t] - backlog[t-1] + shipped == demand
    demand = data.demand.groupby(["customer_id", "item_id", "period"]).qty.sum()
    wanted = demand.reindex(pd.MultiIndex.from_arrays([np.repeat(backlog.keys.customer_id, periods),
                                                       np.repeat(backlog.keys.item_id, periods),
                                                       np.tile(np.arange(1, periods + 1), len(backlog.keys))]))
    wanted = wanted.fillna(0.0).to_numpy(float)
    first = rows.family(len(backlog.keys), wanted, wanted)
    n_backlog = np.arange(len(backlog.keys))
    rows.terms(first, n_backlog, backlog, n_backlog, 1.0)
    rows.terms(first, n_backlog, backlog, n_backlog, -1.0, lag=1)
    rows.terms(first, backlog.positions(shipments.keys), shipments, np.arange(len(shipments.keys)), 1.0)

    # work_center_capacity: hours used - overtime <= available
    available = by_center.available_hours.reindex(center_periods).fillna(0.0).to_numpy(float)
    first = rows.family(len(overtime.keys), -np.inf, available)
    loads = data.routings.merge(production.keys)
    rows.terms(first, overtime.positions(loads), production, production.positions(loads),
               loads.hours_per_unit.to_numpy(float))
    n_centers = np.arange(len(overtime.keys))
    rows.terms(first, n_centers, overtime, n_centers, -1.0)

    # lane_capacity: units on a capped lane <= its capacity
    capped = lanes.dropna(subset=["capacity_per_period"]).merge(
        transfers.keys[["from_plant_code", "to_plant_code"]].drop_duplicates())
    capped = capped.reset_index(drop=True)
    first = rows.family(len(capped), -np.inf, np.repeat(capped.capacity_per_period.to_numpy(float), periods))
    lane_position = Block(capped[["from_plant_code", "to_plant_code"]], 0, periods).positions(transfers.keys)
    rows.terms(first, lane_position, transfers, n_transfers, 1.0)

    # supplier_capacity: units bought from a supplier (by the plants sharing it) <= its capacity
    limits = supplier_limits(data, synchronized)
    limit_keys = limits.drop(columns=["period", "qty_per_period"]).drop_duplicates(ignore_index=True)
    first = rows.family(len(limit_keys), -np.inf, limits.qty_per_period.fillna(np.inf).to_numpy(float))
    rows.terms(first, Block(limit_keys, 0, periods).positions(purchases.keys), purchases, n_purchases, 1.0)

    # safety_stock_shortfall: shortfall + stock >= safety stock
    first = rows.family(len(shortfall.keys), np.repeat(safety.qty.to_numpy(float), periods), np.inf)
    n_safety = np.arange(len(shortfall.keys))
    rows.terms(first, n_safety, shortfall, n_safety, 1.0)
    rows.terms(first, n_safety, stock, stock.positions(shortfall.keys), 1.0)

    row_index, col_index, values = (np.concatenate(part) for part in zip(*rows.entries))
    matrix = sparse.coo_array((values, (row_index, col_index)), shape=(rows.count, start)).tocsc()
    arrays = PlanArrays(blocks, cost, col_lower, col_upper, matrix, np.concatenate(rows.lower),
                        np.concatenate(rows.upper), "network_plan" if synchronized else "coordinated_plan")
    for family, frame in (fixed or {}).items():
        arrays.fix(family, frame)
    for family in ANCHORED if anchor else ():
        arrays.anchor(family, anchor[family])
    return arrays


@dataclass
class ArraySolution:
    """What HiGHS returned, read back per variable family, and the cost of each objective component."""

    status: str  # optimal | time_limit
    termination: str
    objective: float
    values: dict[str, pd.DataFrame]
    costs: dict[str, float]
    handoff_seconds: float
    solve_seconds: float
    read_seconds: float


def outcome(highs: highspy.Highs, stopped: dict[highspy.HighsModelStatus, str], missing: str) -> str:
    """How a run ended: "optimal", or the name `stopped` gives the limit that stopped HiGHS while it held a
    feasible solution; with no solution, PlanningSolveError saying there is no `missing`."""
    model_status = highs.getModelStatus()
    if model_status == highspy.HighsModelStatus.kOptimal:
        return "optimal"
    if model_status in stopped and highs.getInfo().primal_solution_status == highspy.SolutionStatus.kSolutionStatusFeasible:
        return stopped[model_status]
    raise PlanningSolveError(f"HiGHS ended with {highs.modelStatusToString(model_status)} and no {missing}")


def solve_arrays(arrays: PlanArrays, *, time_limit: float = 60.0, solver: str = "choose") -> ArraySolution:
    """One `passModel`, one `run`; `solver` is HiGHS's LP method ("ipm", "simplex" or "choose")."""
    started = time.perf_counter()
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("time_limit", float(time_limit))
    highs.setOptionValue("solver", solver)
    highs.passModel(arrays.lp())
    handed = time.perf_counter()
    highs.run()
    solved = time.perf_counter()
    status = outcome(highs, {highspy.HighsModelStatus.kTimeLimit: "time_limit"}, f"usable plan for {arrays.name}")
    termination = {"optimal": "convergenceCriteriaSatisfied", "time_limit": "maxTimeLimit"}[status]
    info = highs.getInfo()
    x = np.asarray(highs.getSolution().col_value)
    values = {family: block.values(x) for family, block in arrays.blocks.items()}
    costs = dict.fromkeys(COST_OF.values(), 0.0)
    for family, block in arrays.blocks.items():
        end = block.start + len(block.keys) * block.periods
        costs[COST_OF[family]] += float(arrays.cost[block.start:end] @ x[block.start:end])
    return ArraySolution(status, termination, float(info.objective_function_value), values, costs,
                         handed - started, solved - handed, time.perf_counter() - solved)
