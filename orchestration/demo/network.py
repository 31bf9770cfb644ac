"""The shape of a generated brake-supplier network: plants, items, work centers, customers and lanes.

The demo network (four plants) is the default; larger networks for benchmarks repeat the same pattern.
Everything here is deterministic for a seed, and nothing here writes files.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from orchestration.sources import erp_kinds

DEMO_PLANTS = [
    # code, name, country, time zone, currency, ERP kind, role
    ("DE1", "Bremen Disc Works", "DE", "Europe/Berlin", "EUR", "sap_files", "discs"),
    ("DE2", "Leipzig Caliper Cells", "DE", "Europe/Berlin", "EUR", "cloud_api", "calipers"),
    ("DE3", "Stuttgart Assembly and Test", "DE", "Europe/Berlin", "EUR", "generic", "assembly"),
    ("MX1", "Queretaro Brake Components", "MX", "America/Mexico_City", "MXN", "plant_db", "discs+calipers"),
]
_EXTRA_SITES = [
    ("DE", "Europe/Berlin", "EUR"),
    ("US", "America/Chicago", "USD"),
    ("MX", "America/Mexico_City", "MXN"),
    ("PL", "Europe/Warsaw", "PLN"),
]
_ROLES = ["discs", "calipers", "assembly", "discs+calipers"]

WORK_CENTERS = {
    "discs": [("L1", "Disc flow line 1", 20.0), ("L2", "Disc flow line 2", 20.0), ("B1", "Balancing", 16.0)],
    "calipers": [("C1", "Caliper cell 1", 16.0), ("C2", "Caliper cell 2", 16.0), ("C3", "Caliper cell 3", 16.0)],
    "assembly": [("A1", "Corner module assembly 1", 16.0), ("A2", "Corner module assembly 2", 16.0),
                 ("T1", "End-of-line test", 16.0)],
    "discs+calipers": [("L1", "Disc line", 16.0), ("C1", "Caliper cell", 16.0)],
}
FAMILIES = {
    "disc": ["DISC-VENTED", "DISC-SOLID"],
    "caliper": ["CALIPER-FLOATING", "CALIPER-FIXED"],
    "module": ["MODULE-FRONT", "MODULE-REAR"],
}
AMERICAS = {"US", "MX"}
ITEM_PREFIX = {"disc": "DSC", "caliper": "CAL", "module": "BCM"}
UNIT_COST_EUR = {"disc": 18.0, "caliper": 42.0, "module": 95.0}
UNITS_PER_HOUR = {"disc": 55.0, "caliper": 30.0, "module": 35.0, "test": 70.0}
FX_START = {"EUR": 1.0, "USD": 0.92, "MXN": 0.051, "PLN": 0.23}


@dataclass(frozen=True)
class Network:
    plants: pd.DataFrame  # code, name, country, time_zone, currency, erp_kind, role
    items: pd.DataFrame  # item_id, item_name, product_family, item_kind, base_unit, standard_cost
    makers: pd.DataFrame  # plant_code, item_id, work_center_code, hours_per_unit, is_primary
    work_centers: pd.DataFrame  # plant_code, work_center_code, name, hours_per_day
    customers: pd.DataFrame  # customer_id, name, kind, country
    bom: pd.DataFrame  # parent_item_id, component_item_id, qty_per
    lanes: pd.DataFrame  # from, to, transit_days, cost_per_unit, capacity_per_day
    demand: pd.DataFrame  # customer_id, item_id, plant_code (shipping), mean_daily_qty


def _plants(n_plants: int) -> pd.DataFrame:
    rows = list(DEMO_PLANTS[: min(n_plants, len(DEMO_PLANTS))])
    kinds = [kind.name for kind in erp_kinds() if kind.demo]  # further plants take each kind in turn
    for i in range(len(rows), n_plants):
        country, tz, currency = _EXTRA_SITES[i % len(_EXTRA_SITES)]
        rows.append((f"{country}{i + 1:02d}", f"Plant {i + 1} ({country})", country, tz, currency,
                     kinds[i % len(kinds)], _ROLES[i % len(_ROLES)]))
    return pd.DataFrame(rows, columns=["code", "name", "country", "time_zone", "currency", "erp_kind", "role"])


def _items(n_items: int) -> pd.DataFrame:
    n_disc = max(1, round(n_items * 0.4))
    n_cal = max(1, round(n_items * 0.35))
    n_mod = max(1, n_items - n_disc - n_cal)
    rows = []
    for kind, count in (("disc", n_disc), ("caliper", n_cal), ("module", n_mod)):
        for i in range(count):
            family = FAMILIES[kind][i % 2]
            rows.append((f"{ITEM_PREFIX[kind]}-{i + 1:04d}", f"{family.title()} {i + 1}", family, kind, "PC",
                         round(UNIT_COST_EUR[kind] * (0.8 + 0.4 * ((i * 7919) % 100) / 100), 2)))
    return pd.DataFrame(rows, columns=["item_id", "item_name", "product_family", "item_kind", "base_unit",
                                       "standard_cost"])


def _makers(plants: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
    """Which plant makes which item on which work center: one primary plant, an alternate for half."""
    capable = {
        "disc": plants.loc[plants.role.isin(["discs"]), "code"].tolist(),
        "caliper": plants.loc[plants.role.isin(["calipers"]), "code"].tolist(),
        "module": plants.loc[plants.role.isin(["assembly"]), "code"].tolist(),
    }
    alternates = plants.loc[plants.role == "discs+calipers", "code"].tolist()
    role_of = dict(zip(plants.code, plants.role))
    rows = []
    for kind, group in items.groupby("item_kind", sort=False):
        primaries = capable[kind] or alternates
        for i, item_id in enumerate(group.item_id):
            plant_list = [primaries[i % len(primaries)]]
            if kind != "module" and alternates and i % 2 == 0:
                alternate = alternates[(i // 2) % len(alternates)]
                if alternate not in plant_list:
                    plant_list.append(alternate)
            for rank, plant in enumerate(plant_list):
                centers = [wc for wc in WORK_CENTERS[role_of[plant]]
                           if wc[0][0] == {"disc": "L", "caliper": "C", "module": "A"}[kind]]
                wc = centers[i % len(centers)][0]
                rows.append((plant, item_id, wc, round(1 / UNITS_PER_HOUR[kind], 5), rank == 0))
                if kind == "module":
                    rows.append((plant, item_id, "T1", round(1 / UNITS_PER_HOUR["test"], 5), rank == 0))
    return pd.DataFrame(rows, columns=["plant_code", "item_id", "work_center_code", "hours_per_unit",
                                       "is_primary"])


def _customers(n_plants: int) -> pd.DataFrame:
    n_oem = max(3, n_plants // 2)
    n_am = max(3, n_plants // 2)
    oem_sites = ["Wolfsburg body line", "Ingolstadt final assembly", "Puebla assembly plant",
                 "Zwickau EV line", "Chattanooga assembly"]
    am_sites = ["Aftermarket hub Frankfurt", "Aftermarket hub Memphis", "Aftermarket hub Poznan"]
    rows = [(f"OEM{i + 1:02d}", oem_sites[i % len(oem_sites)] + ("" if i < len(oem_sites) else f" {i + 1}"),
             "oem", ["DE", "DE", "MX", "DE", "US"][i % 5]) for i in range(n_oem)]
    rows += [(f"AM{i + 1:02d}", am_sites[i % len(am_sites)] + ("" if i < len(am_sites) else f" {i + 1}"),
              "aftermarket", ["DE", "US", "PL"][i % 3]) for i in range(n_am)]
    return pd.DataFrame(rows, columns=["customer_id", "name", "kind", "country"])


def _demand(items: pd.DataFrame, makers: pd.DataFrame, customers: pd.DataFrame,
            rng: np.random.Generator) -> pd.DataFrame:
    """OEMs call off corner modules every working day; aftermarket hubs buy discs and calipers."""
    primary = makers[makers.is_primary].drop_duplicates("item_id").set_index("item_id").plant_code
    alternate = makers[~makers.is_primary].drop_duplicates("item_id").set_index("item_id").plant_code
    country = customers.set_index("customer_id").country
    oems = customers.loc[customers.kind == "oem", "customer_id"].tolist()
    hubs = customers.loc[customers.kind == "aftermarket", "customer_id"].tolist()
    rows = []
    for i, item in enumerate(items.itertuples()):
        if item.item_kind == "module":
            buyers, mean = [oems[i % len(oems)]], rng.uniform(40, 90)
        else:
            buyers, mean = [hubs[i % len(hubs)]], rng.uniform(15, 60)
        for customer in buyers:
            # Hubs in the Americas are served by the American alternate plant where one makes the item.
            shipper = primary[item.item_id]
            if country[customer] in AMERICAS and item.item_id in alternate.index:
                shipper = alternate[item.item_id]
            rows.append((customer, item.item_id, shipper, round(mean, 1)))
    return pd.DataFrame(rows, columns=["customer_id", "item_id", "plant_code", "mean_daily_qty"])


def _lanes(plants: pd.DataFrame, makers: pd.DataFrame, bom: pd.DataFrame,
           demand: pd.DataFrame) -> pd.DataFrame:
    """Transfer lanes from component makers to assemblers, and delivery lanes from shippers to customers."""
    country = dict(zip(plants.code, plants.country))
    assemblers = plants.loc[plants.role == "assembly", "code"].tolist()
    component_plants = makers.loc[makers.item_id.isin(bom.component_item_id), "plant_code"].unique()
    rows = []
    for source in component_plants:
        for target in assemblers:
            same = country[source] == country[target]
            rows.append((source, target, 1 if same else 21, 0.6 if same else 2.4, None if same else 6000.0))
    # Alternate plants can relieve primary makers of the same items.
    for source in plants.loc[plants.role == "discs+calipers", "code"]:
        for target in plants.loc[plants.role.isin(["discs", "calipers"]), "code"]:
            same = country[source] == country[target]
            rows.append((source, target, 2 if same else 21, 0.8 if same else 2.6, 4000.0))
    for row in demand.drop_duplicates(["plant_code", "customer_id"]).itertuples():
        rows.append((row.plant_code, row.customer_id, 2, 0.9, None))
    return pd.DataFrame(rows, columns=["from", "to", "transit_days", "cost_per_unit", "capacity_per_day"])


def build_network(n_plants: int, n_items: int, seed: int) -> Network:
    """The network's master data for the given size; the same seed gives the same network."""
    rng = np.random.default_rng(seed)
    plants = _plants(n_plants)
    items = _items(n_items)
    makers = _makers(plants, items)
    work_centers = pd.DataFrame(
        [(p.code, code, name, hours) for p in plants.itertuples() for code, name, hours in WORK_CENTERS[p.role]],
        columns=["plant_code", "work_center_code", "name", "hours_per_day"],
    )
    modules = items[items.item_kind == "module"].item_id.tolist()
    discs = items[items.item_kind == "disc"].item_id.tolist()
    calipers = items[items.item_kind == "caliper"].item_id.tolist()
    bom = pd.DataFrame(
        [(m, discs[i % len(discs)], 1.0) for i, m in enumerate(modules)]
        + [(m, calipers[i % len(calipers)], 1.0) for i, m in enumerate(modules)],
        columns=["parent_item_id", "component_item_id", "qty_per"],
    )
    customers = _customers(n_plants)
    demand = _demand(items, makers, customers, rng)
    lanes = _lanes(plants, makers, bom, demand)
    return Network(plants, items, makers, work_centers, customers, bom, lanes, demand)
