"""The shape of a generated brake-supplier network: plants, items, work centers, customers, lanes, and
the purchased materials with their suppliers.

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

# Purchased materials, item_kind 'raw': family -> (item prefix, the made kind using it, qty per made unit,
# made items sharing one material, unit cost in EUR). A caliper takes a housing casting, a pad set and two
# pistons; a disc one casting; a corner module one hub bearing.
MATERIALS = {
    "CASTING-DISC": ("CSD", "disc", 1.0, 3, 7.5),
    "CASTING-CALIPER": ("CSC", "caliper", 1.0, 3, 11.0),
    "PAD-SET": ("PAD", "caliper", 1.0, 4, 4.8),
    "PISTON": ("PST", "caliper", 2.0, 5, 1.6),
    "HUB-BEARING": ("HUB", "module", 1.0, 4, 12.0),
}
# The supplier master: id, name, country, currency, the families it supplies, the region it serves ('EU',
# 'AM' or 'ANY': one supplier shared by plants on both sides), lead time days to a plant in its own region,
# and its capacity as a multiple of the weekly need of the plants it serves (the piston maker is the tight one).
SUPPLIERS = [
    ("SUP-01", "Eisenguss Harz GmbH", "DE", "EUR", ("CASTING-DISC", "CASTING-CALIPER"), "ANY", 10, 1.8),
    ("SUP-02", "Fundiciones del Bajio S.A. de C.V.", "MX", "MXN", ("CASTING-DISC", "CASTING-CALIPER"), "AM", 8, 1.8),
    ("SUP-03", "Poznan Friction Materials Sp. z o.o.", "PL", "PLN", ("PAD-SET",), "ANY", 7, 1.8),
    ("SUP-04", "Great Lakes Precision Pistons Inc.", "US", "USD", ("PISTON",), "ANY", 6, 1.2),
    ("SUP-05", "Rheinland Waelzlager GmbH", "DE", "EUR", ("HUB-BEARING",), "ANY", 5, 1.8),
]
OVERSEAS_DAYS = 28  # added to a lead time when the supplier ships to the other side of the Atlantic
MIN_ORDER_QTY = {"CASTING-DISC": 500.0, "CASTING-CALIPER": 400.0, "PAD-SET": 1000.0, "PISTON": 2000.0,
                 "HUB-BEARING": 200.0}


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
    # supplier_id, supplier_name, country, currency, families, region, lead_days, capacity_factor
    suppliers: pd.DataFrame
    supply_options: pd.DataFrame  # supplier_id, plant_code, item_id, lead_time_days, min_order_qty, unit_price_eur


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
    n_made = {"disc": n_disc, "caliper": n_cal, "module": n_mod}
    for family, (prefix, used_by, _, sharing, cost) in MATERIALS.items():
        for i in range(max(1, -(-n_made[used_by] // sharing))):
            rows.append((f"{prefix}-{i + 1:04d}", f"{family.title()} {i + 1}", family, "raw", "PC", cost))
    return pd.DataFrame(rows, columns=["item_id", "item_name", "product_family", "item_kind", "base_unit",
                                       "standard_cost"])


def _material_bom(items: pd.DataFrame) -> list[tuple[str, str, float]]:
    """Each made item takes one material of each family its kind uses; made items share materials in turn."""
    rows = []
    for family, (_, used_by, qty_per, _, _) in MATERIALS.items():
        materials = items.loc[items.product_family == family, "item_id"].tolist()
        made = items.loc[items.item_kind == used_by, "item_id"].tolist()
        rows += [(parent, materials[i % len(materials)], qty_per) for i, parent in enumerate(made)]
    return rows


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
    for kind, group in items[items.item_kind != "raw"].groupby("item_kind", sort=False):
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
    for i, item in enumerate(items[items.item_kind != "raw"].itertuples()):
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


def _region(country: str) -> str:
    return "AM" if country in AMERICAS else "EU"


def _supply_options(plants: pd.DataFrame, items: pd.DataFrame, makers: pd.DataFrame, bom: pd.DataFrame,
                    suppliers: pd.DataFrame) -> pd.DataFrame:
    """Who may deliver which material to which plant: every plant that makes a parent of a material buys it
    from each supplier of its family serving the plant's region (or every region), farther ones slower."""
    family = items.set_index("item_id").product_family
    needed = (makers[["plant_code", "item_id"]].drop_duplicates()
              .merge(bom, left_on="item_id", right_on="parent_item_id")[["plant_code", "component_item_id"]]
              .drop_duplicates().rename(columns={"component_item_id": "item_id"}))
    needed = needed[needed.item_id.map(family).isin(MATERIALS.keys())]
    country = dict(zip(plants.code, plants.country))
    cost = items.set_index("item_id").standard_cost
    rows = []
    for option in needed.sort_values(["plant_code", "item_id"]).itertuples():
        region = _region(country[option.plant_code])
        for s in suppliers.itertuples():
            if family[option.item_id] not in s.families or s.region not in (region, "ANY"):
                continue
            overseas = _region(s.country) != region
            rows.append((s.supplier_id, option.plant_code, option.item_id,
                         s.lead_days + (OVERSEAS_DAYS if overseas else 0), MIN_ORDER_QTY[family[option.item_id]],
                         round(cost[option.item_id] * (1.1 if overseas else 1.0), 2)))
    return pd.DataFrame(rows, columns=["supplier_id", "plant_code", "item_id", "lead_time_days", "min_order_qty",
                                       "unit_price_eur"])


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
        + [(m, calipers[i % len(calipers)], 1.0) for i, m in enumerate(modules)] + _material_bom(items),
        columns=["parent_item_id", "component_item_id", "qty_per"],
    )
    customers = _customers(n_plants)
    demand = _demand(items, makers, customers, rng)
    lanes = _lanes(plants, makers, bom, demand)
    suppliers = pd.DataFrame(SUPPLIERS, columns=["supplier_id", "supplier_name", "country", "currency", "families",
                                                 "region", "lead_days", "capacity_factor"])
    supply_options = _supply_options(plants, items, makers, bom, suppliers)
    return Network(plants, items, makers, work_centers, customers, bom, lanes, demand, suppliers, supply_options)
