"""The suites themselves, on small DataFrames: raw rules per source format, mart rules blocking or warning."""

import pandas as pd

from expectations.suites.marts import MartReference, check_mart
from expectations.suites.raw import KnownCodes, check_raw_rows
from expectations.suites.raw_formats import MAGNITUDE, NUMERIC
from orchestration.sources import SOURCE_KINDS, source_entities

REF = MartReference(plants=frozenset({"DE1", "DE2"}), items=frozenset({"DSC-0001"}),
                    work_centers=frozenset({"DE1-L1"}))


def test_cloud_rows_odoo_refs_false_as_empty_and_only_later_copies_of_a_key_fail():
    entity = SOURCE_KINDS["cloud_api"].entity("stock_picking")
    row = {"id": "7", "name": "DE2/INT/7", "product_id": '[4, "[DE2.CAL1] Caliper"]', "default_code": "DE2.CAL1",
           "quantity": "12.0", "product_uom_id": '[1, "Units"]', "location_dest_id": '[100, "DE3/Stock"]',
           "scheduled_date": "2026-10-05 05:00:00", "date_deadline": "2026-10-06 05:00:00", "date_done": "false",
           "state": "assigned", "write_date": "2026-10-06 18:00:00"}
    rows = pd.DataFrame([row, row, {**row, "id": "8", "location_dest_id": '[100, "XX9/Stock"]'},
                         {**row, "id": "9", "product_uom_id": "Units", "write_date": "2026-10-06T18:00"}])
    known = KnownCodes(plants=frozenset({"DE2", "DE3"}), items=frozenset({"DE2.CAL1"}), units=frozenset({"Units"}))
    validation, failures = check_raw_rows(rows, entity, known)
    assert list(failures.itertuples(index=False, name=None)) == [
        (1, "unique_key", "id", '{"id": "7"}'),
        (2, "known_plant", "location_dest_id", '[100, "XX9/Stock"]'),
        (3, "type", "product_uom_id", "Units"),
        (3, "type", "write_date", "2026-10-06T18:00")]
    assert {r["rule"] for r in validation.results} >= {"required", "type", "range", "known_item", "known_unit",
                                                      "known_plant", "unique_key"}


def test_zero_rate_routing_and_unknown_plant_in_reference():
    entity = SOURCE_KINDS["reference"].entity("routings")
    rows = pd.DataFrame({"plant_code": ["DE1", "DE1", "ZZ1"], "work_center_code": ["L1", "L2", "L1"],
                         "item_id": ["DSC-0001"] * 3, "hours_per_unit": ["0.02", "0", "0.01"]})
    _, failures = check_raw_rows(rows, entity, KnownCodes(plants=frozenset({"DE1"})))
    assert list(failures.itertuples(index=False, name=None)) == [(1, "range", "hours_per_unit", "0"),
                                                                  (2, "known_plant", "plant_code", "ZZ1")]


def test_numbers_over_their_kinds_maximum_or_in_other_digits_fail():
    entity = SOURCE_KINDS["reference"].entity("routings")  # hours per unit: at most 10,000
    values = ["10000", "10000.5", "1e400", "-1e400", "٠.5", "０.5"]
    rows = pd.DataFrame({"plant_code": "DE1", "work_center_code": [f"L{i}" for i in range(len(values))],
                         "item_id": "DSC-0001", "hours_per_unit": values})
    _, failures = check_raw_rows(rows, entity, KnownCodes(plants=frozenset({"DE1"})))
    assert list(failures.itertuples(index=False, name=None)) == [
        (1, "magnitude", "hours_per_unit", "10000.5"), (2, "magnitude", "hours_per_unit", "1e400"),
        (3, "magnitude", "hours_per_unit", "-1e400"), (3, "range", "hours_per_unit", "-1e400"),
        (4, "type", "hours_per_unit", "٠.5"), (5, "type", "hours_per_unit", "０.5")]


def test_every_number_has_a_maximum_that_keeps_kpi_sums_in_their_decimals():
    for entity in source_entities():
        rules = entity.rules
        assert set(rules.maximum) == {f for f, fmt in rules.formats.items() if fmt in NUMERIC}, entity.raw_table
    # a plant-day's inventory value is summed as DECIMAL(38, 9): 10,000 rows at every maximum still fit
    assert MAGNITUDE["quantity"] * MAGNITUDE["factor"] * MAGNITUDE["price"] * 10_000 < 1e29


def test_negative_available_capacity_blocks_and_names_the_plant():
    frame = pd.DataFrame({"date_day": pd.to_datetime(["2026-11-23", "2026-11-24"]), "plant_code": ["DE1", "DE1"],
                          "work_center_id": ["DE1-L1", "DE1-L1"], "available_hours": [16.0, -2.0],
                          "planned_downtime_hours": [0.0, 0.0], "unplanned_downtime_hours": [1.0, 0.0],
                          "loaded_hours": [10.0, 0.0]})
    result = check_mart("fct_capacity_daily", frame, REF)
    assert [(f.rule, f.field) for f in result.blocking_failures] == [("range", "available_hours")]
    assert result.sample() == [{"plant_code": "DE1", "rule": "range", "field": "available_hours", "value": "-2.0",
                                "blocking": True, "_row": 1}]


def test_inventory_for_an_unknown_plant_blocks_a_bad_rate_only_warns():
    inventory = pd.DataFrame({"snapshot_date": pd.to_datetime(["2026-11-23"] * 2), "plant_code": ["DE1", "PL9"],
                              "item_id": ["DSC-0001"] * 2, "on_hand_qty": [5.0, 7.0], "in_inspection_qty": [0.0, 0.0],
                              "blocked_qty": [0.0, 0.0], "in_transit_qty": [0.0, 0.0], "unit_cost_eur": [1.0, 1.0],
                              "inventory_value_eur": [5.0, 7.0]})
    blocked = check_mart("fct_inventory_daily", inventory, REF)
    assert [(f.rule, f.field, f.values) for f in blocked.blocking_failures] == [("known_plant", "plant_code", ("PL9",))]
    kpi = pd.DataFrame({"date_day": pd.to_datetime(["2026-11-23"]), "plant_code": ["DE1"], "otif_rate": [1.2],
                        "fill_rate": [None], "reject_rate": [0.01]})
    warned = check_mart("kpi_plant_daily", kpi, REF)
    assert not warned.blocking_failures and [(f.rule, f.field) for f in warned.warnings] == [("range", "otif_rate")]
