"""Write a generated network to disk: each plant's data in its own ERP's native form, plus a manifest.

The history is made here (and in `history`); each kind of source renders it in its own form (its
package's `demo` module, asked through the source-kind registry).

Layout under the output folder:
    network.yaml                      the network config for this network
    manifest.json                     rows written and faults injected, per plant and entity
    network/<entity>.csv              reference data (items, cross-references, BOM, routings, rates)
    <plant>/sap/<TABLE>_<YYYYMMDD>.csv, <plant>/cloud/<model>.jsonl, <plant>/plant.db,
    <plant>/generic/<entity>/<entity>_<YYYYMMDD>.csv, <plant>/events/<entity>_<YYYYMM>.jsonl
    <plant>/_late/...                 files withheld as "late" (moved into place by a test or a person)
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from orchestration.core import clock
from orchestration.demo import history
from orchestration.demo.network import Network, build_network
from orchestration.demo.writer import Manifest, PlantData, Writer, dump_csv, iso
from orchestration.sources import EVENTS, REFERENCE, SOURCE_KINDS, erp_kinds


def _local_codes(network: Network) -> pd.DataFrame:
    """Each plant's own code for each network item, in its kind's form (SAP numbers, Odoo default codes...)."""
    index = {item: i + 1 for i, item in enumerate(network.items.item_id)}
    rows = [(plant.code, SOURCE_KINDS[plant.erp_kind].demo.item_code(plant.code, item_id, i), item_id)
            for plant in network.plants.itertuples() for item_id, i in index.items()]
    return pd.DataFrame(rows, columns=["plant_code", "local_item_code", "item_id"])


def _local_customers(network: Network) -> pd.DataFrame:
    rows = [(plant.code, SOURCE_KINDS[plant.erp_kind].demo.customer_code(customer, i), customer)
            for plant in network.plants.itertuples()
            for i, customer in enumerate(network.customers.customer_id, start=1)]
    return pd.DataFrame(rows, columns=["plant_code", "local_customer_code", "customer_id"])


def _local_suppliers(network: Network) -> pd.DataFrame:
    rows = [(plant.code, SOURCE_KINDS[plant.erp_kind].demo.supplier_code(supplier, i), supplier)
            for plant in network.plants.itertuples()
            for i, supplier in enumerate(network.suppliers.supplier_id, start=1)]
    return pd.DataFrame(rows, columns=["plant_code", "local_supplier_code", "supplier_id"])


# --- the network config ------------------------------------------------------------------------------------

def network_config(network: Network, with_sources_dir: bool) -> dict:
    """The YAML config describing a generated network; the shipped demo.yaml is this for the defaults."""
    plants = []
    for p in network.plants.itertuples():
        erp = {"kind": p.erp_kind, **SOURCE_KINDS[p.erp_kind].demo.settings(p.code)}
        plants.append({"code": p.code, "name": p.name, "country": p.country, "time_zone": p.time_zone,
                       "currency": p.currency, "role": p.role, "erp": erp, "events_path": f"{p.code}/events",
                       "max_extract_age_hours": 36})
    lanes = [{"from": r["from"], "to": r["to"], "transit_days": int(r["transit_days"]),
              "cost_per_unit": float(r["cost_per_unit"]),
              **({"capacity_per_day": float(r["capacity_per_day"])} if pd.notna(r["capacity_per_day"]) else {})}
             for r in network.lanes.to_dict("records")]
    network_block = {"name": "Brake systems network (generated)", "currency": "EUR", "reference_path": "network"}
    if with_sources_dir:
        network_block["sources_dir"] = "."
    return {
        "network": network_block,
        "plants": plants,
        "customers": [{"id": c.customer_id, "name": c.name, "kind": c.kind, "country": c.country}
                      for c in network.customers.itertuples()],
        "lanes": lanes,
        "planning": {"period_days": 7, "horizon_periods": 12, "frozen_periods": 1, "release_periods": 2,
                     "overtime_share": 0.25, "nightly_cron": "0 2 * * *", "time_zone": "Europe/Berlin",
                     "assumed_outage_hours": 72,
                     "autonomous_replan": {"max_cost_increase_share": 0.02, "max_load_moved_share": 0.25}},
    }


PURCHASE_ORDER_SEED = 3  # purchase orders draw from the seed plus this, so a test can make them again


def generate(out: Path, plants: int = 4, items: int = 30, days: int = 365, seed: int = 7,
             fault_rate: float = 0.0, as_of: date | None = None, open_days: int = 84,
             write_config: bool = True) -> Manifest:
    """Generate a network into `out`; the same arguments always give the same bytes.

    History ends on `as_of`, by default today by plantsync's clock, so a demo is fresh the day it is made;
    pass `as_of` for the same bytes on any day."""
    as_of = as_of or clock.today()
    if plants < 4:
        raise ValueError("a network needs at least 4 plants (discs, calipers, assembly, alternate)")
    if not 0 <= fault_rate <= 0.5:
        raise ValueError("fault rate must be between 0 and 0.5")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    network = build_network(plants, items, seed)
    horizon = history.Horizon(as_of, days, open_days)
    manifest = Manifest(settings={"plants": plants, "items": items, "days": days, "seed": seed,
                                  "fault_rate": fault_rate, "as_of": as_of.isoformat(), "open_days": open_days})
    faulty = frozenset().union(*(kind.demo.faulty for kind in SOURCE_KINDS.values() if kind.demo))
    writer = Writer(out, manifest, np.random.default_rng(seed + 1), fault_rate, faulty)

    buying = np.random.default_rng(seed + 2)  # purchasing has its own draws: the rest stays as it was
    fx = history.fx_rates(network.plants.currency, horizon, rng)
    if foreign := set(network.suppliers.currency) - set(network.plants.currency):
        fx = pd.concat([fx, history.fx_rates(foreign, horizon, buying)], ignore_index=True)
    orders = history.order_lines(network, horizon, rng)
    production = history.production_orders(network, horizon, rng)
    stock = history.inventory(network, horizon, rng)
    moves = history.transfers(network, horizon, rng)
    events = history.machine_events(network, horizon, rng)
    checks = history.inspections(production, rng)
    stock = pd.concat([stock, history.inventory(network, horizon, buying, purchased=True)], ignore_index=True)
    purchases = history.purchase_orders(network, horizon, np.random.default_rng(seed + PURCHASE_ORDER_SEED))
    codes = _local_codes(network)
    customers = _local_customers(network)
    suppliers = _local_suppliers(network)

    fx_start = fx[fx.rate_date == horizon.start].set_index("currency").rate_to_network
    for plant in network.plants.itertuples():
        code = plant.code
        data = PlantData(
            plant=pd.Series(plant._asdict()), fx=float(fx_start[plant.currency]),
            inventory=stock[stock.plant_code == code].reset_index(drop=True),
            orders=orders[orders.plant_code == code].reset_index(drop=True),
            production=production[production.plant_code == code].reset_index(drop=True),
            transfers=moves[moves.from_plant_code == code].reset_index(drop=True),
            purchases=purchases[purchases.plant_code == code].reset_index(drop=True),
            work_centers=network.work_centers[network.work_centers.plant_code == code].reset_index(drop=True),
            events=events[events.plant_code == code].reset_index(drop=True),
            inspections=checks[checks.plant_code == code].reset_index(drop=True),
            item_code=dict(zip(codes[codes.plant_code == code].item_id, codes[codes.plant_code == code].local_item_code)),
            customer_code=dict(zip(customers[customers.plant_code == code].customer_id,
                                   customers[customers.plant_code == code].local_customer_code)),
            supplier_code=dict(zip(suppliers[suppliers.plant_code == code].supplier_id,
                                   suppliers[suppliers.plant_code == code].local_supplier_code)),
            items=network.items,
        )
        for kind in (SOURCE_KINDS[plant.erp_kind], EVENTS):
            kind.demo.render(kind, writer, data, as_of, horizon.start)

    _write_reference(writer, network, horizon, fx, codes, customers, suppliers, stock)
    if write_config:
        (out / "network.yaml").write_text(yaml.safe_dump(network_config(network, True), sort_keys=False))
    (out / "manifest.json").write_text(manifest.to_json())
    return manifest


# The forecast carries an aftermarket caliper campaign: from its third week, hubs buy this many times
# their usual calipers. It loads the caliper plant beyond its hours plus overtime, which is where
# planning the plants as one network pays: the alternate plant can take the excess.
CAMPAIGN_WEEK = 3
CAMPAIGN_FACTOR = 2.0


def _write_reference(w: Writer, network: Network, horizon: history.Horizon, fx: pd.DataFrame,
                     codes: pd.DataFrame, customers: pd.DataFrame, suppliers: pd.DataFrame,
                     stock: pd.DataFrame) -> None:
    """The network team's reference data, in the generic format: items, cross-references, rates, targets,
    the supplier master and what each supplier can deliver to which plant."""
    local_units = [kind.demo.local_unit for kind in erp_kinds() if kind.demo]
    units = pd.DataFrame({"unit_code": list(dict.fromkeys(local_units)) + ["Dozens", "PC"],
                          "base_unit": "PC"})
    units["factor"] = np.where(units.unit_code == "Dozens", 12.0, 1.0)
    routings = network.makers.rename(columns={"work_center_code": "work_center_code"})
    volume = history.weekly_item_volume(network)
    held = stock.groupby(["plant_code", "item_id"], as_index=False).on_hand_qty.mean()
    safety = held.merge(volume, on=["plant_code", "item_id"], how="left").fillna({"weekly_qty": 0.0})
    safety["safety_stock_qty"] = np.round(np.maximum(safety.weekly_qty / 7 * 3, held.on_hand_qty * 0.75))
    mondays = pd.date_range(horizon.as_of + pd.Timedelta(days=1), horizon.end, freq="W-MON")
    scale = history._demand_scale(network)
    kind = network.items.set_index("item_id").item_kind
    forecast = pd.DataFrame([(r.customer_id, r.item_id, m.date().isoformat(), round(
        r.mean_daily_qty * scale * 7 * (CAMPAIGN_FACTOR if kind[r.item_id] == "caliper" and week >= CAMPAIGN_WEEK else 1)))
                             for r in network.demand.itertuples() for week, m in enumerate(mondays, start=1)],
                            columns=["customer_id", "item_id", "week_start", "qty"])
    options = network.supply_options.merge(history.supply_capacity(network), on=["supplier_id", "item_id"])
    options["unit_price"] = history.local_price(network, options)
    options["currency"] = options.supplier_id.map(network.suppliers.set_index("supplier_id").currency)
    tables = {
        "items": network.items.assign(cost_currency="EUR")[list(REFERENCE.entity("items").fields)],
        "item_xref": codes, "customer_xref": customers, "bom": network.bom,
        "routings": routings[list(REFERENCE.entity("routings").fields)], "unit_conversions": units,
        "fx_rates": fx.assign(rate_date=iso(fx.rate_date)),
        "safety_stock": safety[list(REFERENCE.entity("safety_stock").fields)], "forecast": forecast,
        "suppliers": network.suppliers[list(REFERENCE.entity("suppliers").fields)], "supplier_xref": suppliers,
        "supply_options": options[list(REFERENCE.entity("supply_options").fields)],
    }
    for name, frame in tables.items():
        w.file("network", REFERENCE.entity(name), Path(f"{name}.csv"), frame, dump_csv, may_be_late=False)
