"""The network plan as a Pyomo LP: production, transfers, shipments, stock and backlog over periods.

`synchronized=True` plans the network as one virtual plant: any eligible plant may make an item, any
configured lane may carry it, any plant with a delivery lane may serve a customer. `synchronized=False`
is the coordination baseline, the same model restricted so each plant plans alone: customers are
served only by their home plant, items are made only where they are owned (home plants of the demand
and the suppliers of their fixed supply relations), and transfers run only along fixed supply.
Backlog and safety-stock shortfall are penalized, never forbidden, so every instance is feasible.

Supply already on its way (scheduled receipts) enters the stock balance as constants; no new production
starts in the frozen periods. Purchases buy what the bills of materials consume (an MRP explosion inside
the LP) within each supplier's capacity, which the plants it serves share (each plant alone: its
allocation, `supplier_shares`, by default in proportion to what each plant orders). Lead times keep their days: a flow sent in period t with a lead time of k whole periods and
a fraction r arrives (1 - r) in t + k and r in t + k + 1, as if it left evenly over its period's days.

This is the readable reference: production plans are built as arrays (`optimization.arrays`) from the
same key sets, and tests hold the two to the same optimum on generated instances. A re-plan's pins
(`fixed`) and its charge for changing the current plan (`anchor`) are stated here too, for both.
"""

from __future__ import annotations

import pandas as pd
import pyomo.environ as pyo

from optimization.data import PlanningData, shortfall_penalties, supplier_capacity_by_period

# variable family -> the model's variable and the names of its key columns (the period comes last)
VARIABLES = {
    "production": ("produce", ["plant_code", "item_id"]),
    "purchases": ("purchase", ["supplier_id", "plant_code", "item_id"]),
    "transfers": ("transfer", ["from_plant_code", "to_plant_code", "item_id"]),
    "shipments": ("ship", ["plant_code", "customer_id", "item_id"]),
    "stock": ("stock", ["plant_code", "item_id"]),
    "backlog": ("backlog", ["customer_id", "item_id"]),
    "overtime": ("overtime", ["work_center_id"]),
}
COST_COMPONENTS = ("cost_production", "cost_purchase", "cost_holding", "cost_transport", "cost_overtime",
                   "cost_backlog", "cost_shortfall")
CHANGE_PENALTY = 0.01  # EUR per unit produced or moved differently from an anchor plan: breaks ties only
ANCHORED = ("production", "purchases", "transfers")  # the families an anchor charges for changing


def index_sets(data: PlanningData, synchronized: bool) -> dict[str, pd.DataFrame]:
    """The keys of each variable family as sorted tables, built with joins so that large networks stay
    cheap; both the Pyomo model and the array build (`optimization.arrays`) index from these."""
    eligible = data.routings[["plant_code", "item_id"]].drop_duplicates()
    homes = data.demand.drop_duplicates(["customer_id", "item_id"], keep="last")[
        ["customer_id", "item_id", "home_plant_code"]]
    supply = data.fixed_supply[["from_plant_code", "to_plant_code", "item_id"]].drop_duplicates()
    if not synchronized:
        owned = pd.concat([homes.rename(columns={"home_plant_code": "plant_code"})[["plant_code", "item_id"]],
                           supply.rename(columns={"from_plant_code": "plant_code"})[["plant_code", "item_id"]]])
        components = owned.merge(data.bom, left_on="item_id", right_on="parent_item_id")[
            ["plant_code", "component_item_id"]].rename(columns={"component_item_id": "item_id"})
        eligible = eligible.merge(pd.concat([owned, components]).drop_duplicates())
    lanes = data.lanes[["from_plant_code", "to_plant_code"]].drop_duplicates()
    transfers = lanes.merge(eligible.rename(columns={"plant_code": "from_plant_code"}))
    if not synchronized:
        transfers = transfers.merge(supply)
    consumed = eligible.merge(data.bom, left_on="item_id", right_on="parent_item_id")[
        ["plant_code", "component_item_id"]].rename(columns={"component_item_id": "item_id"})
    purchases = data.supply_options[["supplier_id", "plant_code", "item_id"]].drop_duplicates()
    # a plant that may make a parent keeps stock of its components, so what it consumes must come from somewhere
    stock = pd.concat([eligible, transfers[["to_plant_code", "item_id"]].rename(columns={"to_plant_code": "plant_code"}),
                       data.initial_inventory[["plant_code", "item_id"]], consumed, purchases[["plant_code", "item_id"]],
                       data.scheduled_receipts[["plant_code", "item_id"]]]).drop_duplicates()
    delivery = data.delivery_lanes[["plant_code", "customer_id"]].drop_duplicates()
    shipments = stock.merge(homes).merge(delivery)
    if not synchronized:
        shipments = shipments[shipments.plant_code == shipments.home_plant_code]
    sets = {"production": eligible, "purchases": purchases, "transfers": transfers, "stock": stock,
            "shipments": shipments[["plant_code", "customer_id", "item_id"]], "demand_keys": homes[["customer_id", "item_id"]]}
    return {name: frame.sort_values(list(frame.columns), ignore_index=True) for name, frame in sets.items()}


def lead_split(days, days_per_period: int):
    """Whole periods k and fraction r of a lead time in days: what is sent in t arrives (1 - r) in t + k and
    r in t + k + 1 (a 1-day lane delivers 6/7 in the same week, a 21-day lane all of it 3 weeks later)."""
    return days // days_per_period, days % days_per_period / days_per_period


def supplier_limits(data: PlanningData, synchronized: bool) -> pd.DataFrame:
    """Supplier capacity per key and period (the key is (supplier_id, item_id): shared by every plant the
    supplier serves; each plant alone gets its share of `supplier_shares` (`optimization.routes.plan` rations
    by orders where none is given; none for a plant left out of an item's shares; equal shares for an item
    without any), keyed (supplier_id, item_id, plant_code)), sorted
    by key then period with every period present. A row without a period holds in every period; where
    nothing is given (NaN) the supplier is unlimited."""
    served = data.supply_options[["supplier_id", "item_id", "plant_code"]].drop_duplicates()
    capacity = supplier_capacity_by_period(data).groupby(["supplier_id", "item_id", "period"]).qty_per_period.sum()
    keys = served[["supplier_id", "item_id"]] if synchronized else served
    keys = keys.drop_duplicates().merge(capacity.reset_index()[["supplier_id", "item_id"]].drop_duplicates())
    limits = keys.merge(pd.DataFrame({"period": range(1, data.periods + 1)}), how="cross")
    limits["qty_per_period"] = capacity.reindex(pd.MultiIndex.from_frame(
        limits[["supplier_id", "item_id", "period"]])).to_numpy(float)
    if not synchronized:
        equal = 1.0 / limits.groupby(["supplier_id", "item_id", "period"]).plant_code.transform("size")
        shares = data.supplier_shares.drop_duplicates(["supplier_id", "item_id", "plant_code"])
        given = limits.merge(shares, how="left").share
        allotted = limits.merge(shares[["supplier_id", "item_id"]].drop_duplicates().assign(allotted=True),
                                how="left").allotted.notna()
        limits["qty_per_period"] *= given.fillna(0.0).where(allotted, equal).to_numpy(float)
    return limits.sort_values([*keys.columns, "period"], ignore_index=True)


def supply_bounds(data: PlanningData) -> dict[tuple[str, str, str], float]:
    """(from, to, item) -> units per period a plant planning alone may receive along its fixed supply."""
    bounded = data.fixed_supply.dropna(subset=["qty_per_period"])
    return bounded.groupby(["from_plant_code", "to_plant_code", "item_id"]).qty_per_period.sum().to_dict()


def build_model(data: PlanningData, synchronized: bool = True, *, fixed: dict[str, pd.DataFrame] | None = None,
                anchor: dict[str, pd.DataFrame] | None = None) -> pyo.ConcreteModel:
    """Build the plan for validated `data`; costs in EUR, quantities in base units. Input figures are
    looked up in plain dicts: a pandas lookup per term cost more than Pyomo itself.

    `fixed` pins variables ({"production" | "purchases" | "transfers": key columns, period, qty}; keys the
    model does not have are ignored); `anchor` (a current plan's tables) adds CHANGE_PENALTY per unit of the
    ANCHORED families away from it (see `optimization.routes.plan`)."""
    sets = {name: list(frame.itertuples(index=False, name=None)) for name, frame in index_sets(data, synchronized).items()}
    m = pyo.ConcreteModel(name="network_plan" if synchronized else "coordinated_plan")
    m.T = pyo.RangeSet(1, data.periods)
    m.PRODUCTION = pyo.Set(initialize=sets["production"], dimen=2)
    m.PURCHASES = pyo.Set(initialize=sets["purchases"], dimen=3)
    m.STOCK = pyo.Set(initialize=sets["stock"], dimen=2)
    m.TRANSFERS = pyo.Set(initialize=sets["transfers"], dimen=3)
    m.SHIPMENTS = pyo.Set(initialize=sets["shipments"], dimen=3)
    m.DEMAND = pyo.Set(initialize=sets["demand_keys"], dimen=2)
    m.WORK_CENTERS = pyo.Set(initialize=sorted(set(data.capacity.work_center_id)))

    items = data.items.set_index("item_id")
    production_cost, holding_cost, backlog_penalty = (items[c].to_dict() for c in
                                                      ("production_cost", "holding_cost", "backlog_penalty"))
    lanes = data.lanes.set_index(["from_plant_code", "to_plant_code"])
    transit = {lane: lead_split(days, data.days_per_period) for lane, days in lanes.transit_days.items()}
    options = data.supply_options.drop_duplicates(["supplier_id", "plant_code", "item_id"]).set_index(
        ["supplier_id", "plant_code", "item_id"])
    lead = {key: lead_split(days, data.days_per_period) for key, days in options.lead_time_days.items()}
    unit_price = options.unit_price.astype(float).to_dict()
    receipts = data.scheduled_receipts.groupby(["plant_code", "item_id", "period"]).qty.sum().to_dict()
    lane_cost = lanes.cost_per_unit.astype(float).to_dict()
    delivery_cost = data.delivery_lanes.set_index(["plant_code", "customer_id"]).cost_per_unit.astype(float).to_dict()
    capacity = data.capacity.set_index(["work_center_id", "period"])
    available = capacity.available_hours.astype(float).to_dict()
    overtime_allowed = capacity.overtime_limit_hours.astype(float).to_dict()
    demand = data.demand.groupby(["customer_id", "item_id", "period"]).qty.sum().to_dict()
    initial = data.initial_inventory.groupby(["plant_code", "item_id"]).qty.sum().to_dict()
    safety = data.safety_stock.groupby(["plant_code", "item_id"]).qty.sum().to_dict()
    m.SAFETY = pyo.Set(initialize=sorted(k for k in safety if k in m.STOCK), dimen=2)

    m.produce = pyo.Var(m.PRODUCTION, m.T, domain=pyo.NonNegativeReals)
    for key in m.PRODUCTION:  # frozen periods: only what is already on its way
        for t in range(1, data.frozen_periods + 1):
            m.produce[(*key, t)].setub(0)
    m.purchase = pyo.Var(m.PURCHASES, m.T, domain=pyo.NonNegativeReals)
    m.transfer = pyo.Var(m.TRANSFERS, m.T, domain=pyo.NonNegativeReals)
    if not synchronized:  # a plant planning alone receives no more than the supply it already gets
        for (*lane, item), bound in supply_bounds(data).items():
            for t in m.T:
                if (*lane, item, t) in m.transfer:
                    m.transfer[(*lane, item, t)].setub(bound)
    m.ship = pyo.Var(m.SHIPMENTS, m.T, domain=pyo.NonNegativeReals)
    m.stock = pyo.Var(m.STOCK, m.T, domain=pyo.NonNegativeReals)
    m.backlog = pyo.Var(m.DEMAND, m.T, domain=pyo.NonNegativeReals)
    m.overtime = pyo.Var(m.WORK_CENTERS, m.T, domain=pyo.NonNegativeReals)
    m.shortfall = pyo.Var(m.SAFETY, m.T, domain=pyo.NonNegativeReals)

    uses = {}  # (plant, component) -> [(parent, qty_per)] for parents made at that plant
    for row in data.bom.itertuples():
        for plant, item in sets["production"]:
            if item == row.parent_item_id:
                uses.setdefault((plant, row.component_item_id), []).append((row.parent_item_id, row.qty_per))
    inbound, outbound, shipped_from, shipped_to, carried = {}, {}, {}, {}, {}
    for f, t, i in sets["transfers"]:
        inbound.setdefault((t, i), []).append((m.transfer, (f, t, i), transit[(f, t)]))
        outbound.setdefault((f, i), []).append((f, t, i))
        carried.setdefault((f, t), []).append((f, t, i))
    for s, p, i in sets["purchases"]:
        inbound.setdefault((p, i), []).append((m.purchase, (s, p, i), lead[(s, p, i)]))
    for p, c, i in sets["shipments"]:
        shipped_from.setdefault((p, i), []).append((p, c, i))
        shipped_to.setdefault((c, i), []).append((p, c, i))

    @m.Constraint(m.STOCK, m.T)
    def flow_balance(m, p, i, t):
        before = m.stock[p, i, t - 1] if t > 1 else initial.get((p, i), 0.0)
        made = m.produce[p, i, t] if (p, i) in m.PRODUCTION else 0
        arriving = sum(share * flow[key, sent] for flow, key, (whole, late) in inbound.get((p, i), [])
                       for sent, share in ((t - int(whole), 1 - late), (t - int(whole) - 1, late))
                       if sent >= 1 and share > 0)
        leaving = sum(m.transfer[lane, t] for lane in outbound.get((p, i), []))
        delivered = sum(m.ship[key, t] for key in shipped_from.get((p, i), []))
        consumed = sum(q * m.produce[p, parent, t] for parent, q in uses.get((p, i), []))
        received = receipts.get((p, i, t), 0.0)
        return m.stock[p, i, t] == before + received + made + arriving - leaving - delivered - consumed

    @m.Constraint(m.DEMAND, m.T)
    def backlog_balance(m, c, i, t):
        before = m.backlog[c, i, t - 1] if t > 1 else 0.0
        served = sum(m.ship[key, t] for key in shipped_to.get((c, i), []))
        return m.backlog[c, i, t] == before + demand.get((c, i, t), 0.0) - served

    loads = {}
    for row in data.routings.itertuples():
        if (row.plant_code, row.item_id) in m.PRODUCTION:
            loads.setdefault(row.work_center_id, []).append(((row.plant_code, row.item_id), row.hours_per_unit))

    @m.Constraint(m.WORK_CENTERS, m.T)
    def work_center_capacity(m, w, t):
        used = sum(h * m.produce[key, t] for key, h in loads.get(w, []))
        return used <= available.get((w, t), 0.0) + m.overtime[w, t]

    @m.Constraint(m.WORK_CENTERS, m.T)
    def overtime_limit(m, w, t):
        return m.overtime[w, t] <= overtime_allowed.get((w, t), 0.0)

    capped = {key: float(v) for key, v in lanes.capacity_per_period.dropna().items()}

    @m.Constraint(list(capped), m.T)
    def lane_capacity(m, f, to, t):
        if not carried.get((f, to)):
            return pyo.Constraint.Skip
        return sum(m.transfer[key, t] for key in carried[(f, to)]) <= capped[(f, to)]

    limits = supplier_limits(data, synchronized).dropna(subset=["qty_per_period"])
    limited = {tuple(row[:-1]): row[-1] for row in limits.itertuples(index=False, name=None)}
    supplied = {}  # supplier capacity key -> the purchases it bounds
    for s, p, i in sets["purchases"]:
        supplied.setdefault((s, i) if synchronized else (s, i, p), []).append((s, p, i))

    @m.Constraint(list(limited))
    def supplier_capacity(m, *key_period):
        *key, t = key_period
        return sum(m.purchase[option, t] for option in supplied[tuple(key)]) <= limited[key_period]

    @m.Constraint(m.SAFETY, m.T)
    def safety_stock_shortfall(m, p, i, t):
        return m.shortfall[p, i, t] >= safety[(p, i)] - m.stock[p, i, t]

    overtime_cost = data.capacity.groupby("work_center_id").overtime_cost.max().to_dict()
    m.cost_production = pyo.Expression(expr=sum(production_cost[i] * m.produce[p, i, t]
                                                for (p, i) in m.PRODUCTION for t in m.T))
    m.cost_purchase = pyo.Expression(expr=sum(unit_price[key] * m.purchase[key, t] for key in m.PURCHASES for t in m.T))
    m.cost_holding = pyo.Expression(expr=sum(holding_cost[i] * m.stock[p, i, t] for (p, i) in m.STOCK for t in m.T))
    m.cost_transport = pyo.Expression(expr=sum(lane_cost[(f, to)] * m.transfer[f, to, i, t]
                                               for (f, to, i) in m.TRANSFERS for t in m.T)
                                      + sum(delivery_cost[(p, c)] * m.ship[p, c, i, t]
                                            for (p, c, i) in m.SHIPMENTS for t in m.T))
    m.cost_overtime = pyo.Expression(expr=sum(overtime_cost[w] * m.overtime[w, t] for w in m.WORK_CENTERS for t in m.T))
    m.cost_backlog = pyo.Expression(expr=sum(backlog_penalty[i] * m.backlog[c, i, t] for (c, i) in m.DEMAND
                                             for t in m.T))
    penalties = shortfall_penalties(data, pd.Series([i for _, i in m.SAFETY], dtype=object))
    m.cost_shortfall = pyo.Expression(expr=sum(penalties[n, t - 1] * m.shortfall[p, i, t]
                                               for n, (p, i) in enumerate(m.SAFETY) for t in m.T))
    for family, frame in (fixed or {}).items():
        _fix(m, family, frame)
    m.total_cost = pyo.Objective(expr=sum(getattr(m, name) for name in COST_COMPONENTS)
                                 + (CHANGE_PENALTY * _changes(m, anchor) if anchor else 0), sense=pyo.minimize)
    return m


def _fix(model: pyo.ConcreteModel, family: str, frame: pd.DataFrame) -> None:
    name, columns = VARIABLES[family]
    variable = getattr(model, name)
    for *key, period, qty in frame[[*columns, "period", "qty"]].itertuples(index=False, name=None):
        if (*key, int(period)) in variable:
            variable[(*key, int(period))].fix(float(qty))


def _changes(model: pyo.ConcreteModel, current: dict[str, pd.DataFrame]) -> pyo.Expression:
    """Units of the ANCHORED families away from `current`: x - was == raised - lowered, both non-negative."""
    changes = 0
    for family in ANCHORED:
        name, columns = VARIABLES[family]
        variable = getattr(model, name)
        index = list(variable)
        was = {(*key, int(period)): float(qty) for *key, period, qty in
               current[family][[*columns, "period", "qty"]].itertuples(index=False, name=None)}
        raised = pyo.Var(index, domain=pyo.NonNegativeReals)
        lowered = pyo.Var(index, domain=pyo.NonNegativeReals)
        model.add_component(f"{name}_raised", raised)
        model.add_component(f"{name}_lowered", lowered)
        model.add_component(f"{name}_change", pyo.Constraint(
            index, rule=lambda m, *k, variable=variable, raised=raised, lowered=lowered, was=was:
            variable[k] - was.get(k, 0.0) == raised[k] - lowered[k]))
        changes += sum(raised[k] + lowered[k] for k in index)
    return changes
