"""On a generated network with faults, the quarantine holds exactly the faulty rows the manifest lists."""

import json
import shutil
from pathlib import Path

from tests.quality.conftest import check_results, extract, query

RULE_FOR_FAULT = {"duplicate": "unique_key", "unknown_item": "known_item", "unit_mismatch": "known_unit"}


def manifest_faults(sources: Path, include_late: bool) -> set[tuple]:
    """(plant, entity, file or model or table, row, rule) for every fault the generator injected."""
    manifest = json.loads((sources / "manifest.json").read_text())
    late = {entry["file"] for entry in manifest["late_files"]}
    out = set()
    for fault in manifest["faults"]:
        if not include_late and f"{fault['plant']}/{fault['where']}" in late:
            continue
        place = fault["where"].rsplit("/", 1)[-1]
        # every source numbers rows by position (a plant database's in watermark, key order), so a
        # duplicated key keeps its own row
        out.add((fault["plant"], fault["entity"], place, fault["row"], RULE_FOR_FAULT[fault["kind"]]))
    return out


def quarantined(warehouse: Path) -> set[tuple]:
    out = set()
    for plant, entity, source_file, row, rule in query(
            warehouse, "SELECT plant_code, entity, source_file, source_row, rule FROM raw._quarantine"):
        if source_file.startswith("GET "):
            place = source_file.rsplit("/", 1)[-1] + ".jsonl"
        elif " table " in source_file:
            place = source_file.rsplit(" table ", 1)[-1]
        else:
            place = source_file
        out.add((plant, entity, place, row, rule))
    return out


def assert_reconciled(result) -> None:
    checks = check_results(result)
    reconciled = {key: e for key, e in checks.items() if key[1] == "rows_reconciled"}
    assert len(reconciled) >= 40
    assert all(e.passed for e in reconciled.values()), [k for k, e in reconciled.items() if not e.passed]


def test_quarantine_is_exactly_the_manifest_faults_and_loads_reconcile(faulty_copy, data_dir):
    warehouse = data_dir / "warehouse.duckdb"
    result = extract(faulty_copy / "network.yaml", warehouse)
    assert result.success
    expected = manifest_faults(faulty_copy, include_late=False)
    assert len(expected) >= 20
    assert quarantined(warehouse) == expected
    assert_reconciled(result)
    totals = query(warehouse, "SELECT sum(rows_read), sum(rows_loaded) FROM raw._loads")[0]
    quarantined_rows = query(warehouse, "SELECT count(DISTINCT (load_id, source_file, source_row)) FROM raw._quarantine")[0][0]
    assert totals[0] == totals[1] + quarantined_rows

    # every quarantined row keeps the plant, source, load, the offending value and the whole original row
    for plant, system, load_id, field, value, row_json, rule in query(
            warehouse, "SELECT plant_code, source_system, load_id, field, value, row_json, rule FROM raw._quarantine"):
        assert plant and system and load_id.startswith(plant)
        original = json.loads(row_json)
        if rule != "unique_key":
            assert original[field] == value

    # the raw tables still hold every row as the source gave it, the original of a duplicate included
    dupes = query(warehouse, "SELECT count(*) FROM raw.events__machine_events e JOIN raw._quarantine q "
                             "ON q.load_id = e._load_id AND q.source_file = e._source_file AND q.source_row = e._source_row")
    assert dupes[0][0] == len([f for f in expected if f[1] == "machine_events"])

    # the late files arrive: their faults join the quarantine, nothing else changes, loads still reconcile
    manifest = json.loads((faulty_copy / "manifest.json").read_text())
    assert manifest["late_files"]
    for entry in manifest["late_files"]:
        plant, relative = entry["file"].split("/", 1)
        target = faulty_copy / plant / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(faulty_copy / plant / "_late" / relative, target)
    again = extract(faulty_copy / "network.yaml", warehouse)
    assert again.success
    assert quarantined(warehouse) == manifest_faults(faulty_copy, include_late=True)
    assert_reconciled(again)
