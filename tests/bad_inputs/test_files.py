"""Bad input files and plant databases, read through the real connectors into a real warehouse.

Nothing is lost silently: every row read is loaded or quarantined, every file in a source folder is
read or reported, and every message names the plant, source, file, row and field, with rows numbered
as `_source_row` stores them (row 1 = the first record after the header).
"""

import codecs
import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from orchestration.raw import load_entity
from orchestration.sources import SOURCE_KINDS
from orchestration.sources.connector import SourceError
from orchestration.sources.events.connector import JsonLinesConnector
from orchestration.sources.plant_db.connector import PlantDbConnector
from tests.quality.conftest import load_reference, query
from tests.quality.test_corpus import PLANTS, load, quarantine

HEADER = "MATNR;WERKS;LGORT;STICHTAG;LABST;INSME;SPEME"
ROW_1 = "000000000010000010;DE1;0001;20261124;100,000;0,000;0,000"
ROW_3 = "000000000010000020;DE1;0001;20261124;200,000;1,000;0,000"
ROW_4 = "000000000010000030;DE1;0001;20261124;300,000;0,000;0,000"
SKU_KEYS = ["000000000010000010", "000000000010000020", "000000000010000030"]


@pytest.fixture()
def network(network_copy, data_dir):
    """A fault-free small network with its reference loaded; returns (sources, warehouse)."""
    warehouse = data_dir / "warehouse.duckdb"
    load_reference(network_copy / "network.yaml", warehouse)
    return network_copy, warehouse


def replace_files(folder: Path, pattern: str, name: str, data: bytes) -> Path:
    """Replace the files matching `pattern` in a source folder by one file."""
    for old in folder.glob(pattern):
        old.unlink()
    (folder / name).write_bytes(data)
    return folder / name


def assert_reconciled(warehouse: Path, result) -> None:
    """rows read = rows loaded + rows quarantined, and the raw table holds every row read."""
    read, loaded = query(warehouse, "SELECT rows_read, rows_loaded FROM raw._loads WHERE load_id = ?",
                         [result.load_id])[0]
    quarantined = query(warehouse, "SELECT count(DISTINCT (source_file, source_row)) FROM raw._quarantine "
                                   "WHERE load_id = ?", [result.load_id])[0][0]
    in_raw = query(warehouse, f'SELECT count(*) FROM raw."{result.raw_table}" WHERE _load_id = ?',
                   [result.load_id])[0][0]
    assert read == loaded + quarantined == in_raw == result.rows_read


def open_exceptions(warehouse: Path, check: str) -> list[tuple]:
    return query(warehouse, "SELECT plant_code, entity, location, severity, detail FROM quality.data_exceptions "
                            "WHERE status = 'open' AND check_name = ? ORDER BY location", [check])


def status_of(warehouse: Path, check: str) -> list[tuple]:
    return query(warehouse, "SELECT location, status FROM quality.data_exceptions WHERE check_name = ? "
                            "ORDER BY location", [check])


# --- 1. a UTF-8 byte-order mark ----------------------------------------------------------------------

@pytest.mark.parametrize("layout", ["one row per line", "with a blank line"])  # Arrow's path, the strict path
def test_byte_order_mark_is_removed_and_the_first_column_keeps_its_leading_zeros(network, layout):
    sources, warehouse = network
    folder = sources / "DE1" / "sap"
    lines = sorted(folder.glob("MARD_*.csv"))[-1].read_text().splitlines()
    if layout == "with a blank line":
        lines.insert(2, "")
    replace_files(folder, "MARD_*.csv", "MARD_20261124.csv", codecs.BOM_UTF8 + "\n".join(lines).encode() + b"\n")
    result = load(sources, warehouse, "DE1", "mard")
    written = [line.split(";")[0] for line in lines[1:] if line]
    assert (result.rows_read, result.rows_quarantined) == (len(written), 0)
    stored = query(warehouse, "SELECT MATNR FROM raw.sap__mard WHERE _load_id = ? ORDER BY _source_row",
                   [result.load_id])
    assert [m for (m,) in stored] == written and written[0].startswith("0000")
    assert_reconciled(warehouse, result)


def test_byte_order_mark_in_an_event_feed(network):
    sources, warehouse = network
    load(sources, warehouse, "DE1", "crhd")  # events are checked against the plant's work-center list
    folder = sources / "DE1" / "events"
    path = sorted(folder.glob("machine_events_*.jsonl"))[-1]
    text = path.read_text()
    path.write_bytes(codecs.BOM_UTF8 + text.encode())
    result = load_entity(warehouse, JsonLinesConnector("DE1", folder), SOURCE_KINDS["events"].entity("machine_events"), PLANTS)
    assert result.rows_read == sum(len(f.read_text().splitlines()) for f in folder.glob("machine_events_*.jsonl"))
    assert_reconciled(warehouse, result)


# --- 2. files nobody reads, entities with no file ---------------------------------------------------------

def test_files_no_entity_reads_are_open_warnings_until_they_are_renamed_or_removed(network):
    sources, warehouse = network
    folder = sources / "DE1" / "sap"
    data = f"{HEADER}\n{ROW_1}\n".encode()
    for name in ("MARD-20261124.csv", "mard_20261124.csv", "XYZ_20261124.csv", ".MARD_20261124.csv.part",
                 "archive/MARD_20260101.csv"):
        (folder / name).parent.mkdir(exist_ok=True)
        (folder / name).write_bytes(data)
    result = load(sources, warehouse, "DE1", "mard")
    assert_reconciled(warehouse, result)
    guess = "not loaded: not a name plantsync reads (did you mean MARD_<YYYYMMDD>.csv?)"
    assert open_exceptions(warehouse, "unrecognized_file") == [
        ("DE1", "sap_files", "MARD-20261124.csv", "warning", f"DE1 sap_files: {folder}/MARD-20261124.csv: {guess}"),
        ("DE1", "sap_files", "XYZ_20261124.csv", "warning",
         f"DE1 sap_files: {folder}/XYZ_20261124.csv: not loaded: not a name plantsync reads (expected "
         f"<TABLE>_<YYYYMMDD>.csv for one of MARA, MARC, MARD, VBAK, VBAP, VBEP, LIPS, AFKO, AFPO, CRHD, KAKO, "
         f"EKKO, EKPO, EKET)"),
        ("DE1", "sap_files", "mard_20261124.csv", "warning", f"DE1 sap_files: {folder}/mard_20261124.csv: {guess}"),
    ]  # a hidden file and a subfolder (an archive) are left alone

    load(sources, warehouse, "DE1", "vbap")  # any load of the plant's folder looks again: no duplicates
    assert len(open_exceptions(warehouse, "unrecognized_file")) == 3

    (folder / "MARD-20261124.csv").rename(folder / "MARD_20261124.csv")
    (folder / "mard_20261124.csv").unlink()
    (folder / "XYZ_20261124.csv").unlink()
    renamed = load(sources, warehouse, "DE1", "mard")
    assert renamed.files == ("MARD_20261124.csv",) and renamed.rows_read == 1
    assert status_of(warehouse, "unrecognized_file") == [
        ("MARD-20261124.csv", "resolved"), ("XYZ_20261124.csv", "resolved"), ("mard_20261124.csv", "resolved")]


def test_unknown_entity_folder_in_a_generic_source_is_an_open_warning(network):
    sources, warehouse = network
    folder = sources / "DE3" / "generic"
    typo = folder / "inventroy" / "inventory_20261124.csv"
    typo.parent.mkdir()
    typo.write_bytes(sorted((folder / "inventory").glob("inventory_*.csv"))[-1].read_bytes())
    load(sources, warehouse, "DE3", "inventory")
    assert open_exceptions(warehouse, "unrecognized_file") == [
        ("DE3", "generic", "inventroy/inventory_20261124.csv", "warning",
         f"DE3 generic: {typo}: not loaded: not a name plantsync reads (did you mean "
         f"inventory/inventory_<YYYYMMDD>.csv or inventory.csv?)")]


def test_entity_without_any_file_is_a_warning_on_its_first_load_and_loads_empty(network):
    sources, warehouse = network
    folder = sources / "DE1" / "sap"
    kept = {path.name: path.read_bytes() for path in folder.glob("MARD_*.csv")}
    for name in kept:
        (folder / name).unlink()
    empty = load(sources, warehouse, "DE1", "mard")
    assert (empty.rows_read, empty.files) == (0, ())
    assert open_exceptions(warehouse, "no_source_files") == [
        ("DE1", "mard", "MARD_<YYYYMMDD>.csv", "warning",
         f"DE1 sap_files: {folder}: no file MARD_<YYYYMMDD>.csv: mard has loaded nothing yet")]

    for name, data in kept.items():
        (folder / name).write_bytes(data)
    loaded = load(sources, warehouse, "DE1", "mard")
    assert loaded.rows_read == sum(len(d.decode().splitlines()) - 1 for d in kept.values())
    assert_reconciled(warehouse, loaded)
    assert status_of(warehouse, "no_source_files") == [("MARD_<YYYYMMDD>.csv", "resolved")]

    for name in kept:  # files taken away after a load (archived): nothing to report
        (folder / name).unlink()
    load(sources, warehouse, "DE1", "mard")
    assert open_exceptions(warehouse, "no_source_files") == []


def test_generic_entity_folder_missing_is_a_warning(network):
    sources, warehouse = network
    folder = sources / "DE3" / "generic"
    shutil.rmtree(folder / "transfers")  # DE3 ships none: its export writes header-only files, here gone too
    load(sources, warehouse, "DE3", "transfers")
    assert open_exceptions(warehouse, "no_source_files") == [
        ("DE3", "transfers", "transfers/transfers_<YYYYMMDD>.csv or transfers.csv", "warning",
         f"DE3 generic: {folder}: no file transfers/transfers_<YYYYMMDD>.csv or transfers.csv: transfers has "
         f"loaded nothing yet")]


# --- 3. a quote never closed ----------------------------------------------------------------------------

@pytest.mark.parametrize("row_2, message", [
    ('000000000010000020;DE1;"0001;20261124;200,000;1,000;0,000',
     "row 2: field LGORT: '\"' opens a quoted field that is never closed"),
    ('000000000010000020;DE1;0001;20261124;200,000;1,000;"0,000',  # Arrow ran this one on into row 3
     "row 2: field SPEME: '\"' opens a quoted field that is never closed"),
    ('000000000010000020;DE1;"0001;20261124;200,000;1,000;0,000',  # closed by row 4's quote
     "row 2: field LGORT: '\"' opens a quoted field that is not closed on its line (';' expected after '\"')"),
], ids=["in a middle field", "in the last field", "closed by a later row's quote"])
def test_unclosed_quote_is_reported_at_the_row_where_it_opens(network, row_2, message):
    sources, warehouse = network
    row_4 = ROW_4.replace(";0001;", ';"0001";') if "closed on its line" in message else ROW_4
    text = "\n".join([HEADER, ROW_1, row_2, ROW_3, row_4, ROW_4]) + "\n"
    replace_files(sources / "DE1" / "sap", "MARD_*.csv", "MARD_20261124.csv", text.encode())
    with pytest.raises(SourceError) as error:
        load(sources, warehouse, "DE1", "mard")
    assert str(error.value) == f"DE1 sap_files: MARD_20261124.csv: {message}"
    assert query(warehouse, "SELECT count(*) FROM raw._loads WHERE entity = 'mard'")[0][0] == 0


# --- 4. one row number everywhere ------------------------------------------------------------------------

BEFORE_ROW_3 = {"blank line": [ROW_1, ""], "quoted line break": [ROW_1.replace(";0001;", ';"00\n01";'), ROW_3]}


@pytest.mark.parametrize("before", list(BEFORE_ROW_3))
def test_a_fault_in_row_3_is_row_3_in_messages_and_in_raw(network, before):
    """Row 3 is the third record after the header: a blank line keeps its number, a quoted line break
    does not start a row. A bad value there is quarantined as row 3; a broken row there fails as row 3."""
    sources, warehouse = network
    folder = sources / "DE1" / "sap"

    def drop(row_3: bytes) -> None:
        head = "\n".join([HEADER, *BEFORE_ROW_3[before]]).encode()
        replace_files(folder, "MARD_*.csv", "MARD_20261124.csv", head + b"\n" + row_3 + b"\n" + ROW_4.encode() + b"\n")

    drop(ROW_4.replace("20261124", "20261345").encode())
    result = load(sources, warehouse, "DE1", "mard")
    assert quarantine(warehouse, result.load_id)[-1] == (3, "type", "STICHTAG", "20261345")
    stored = query(warehouse, "SELECT _source_row FROM raw.sap__mard WHERE _load_id = ? ORDER BY 1", [result.load_id])
    assert [r for (r,) in stored] == ([1, 3, 4] if before == "blank line" else [1, 2, 3, 4])
    assert_reconciled(warehouse, result)

    for row_3, problem in [
            (b"000000000010000030;DE1;0001;2026", "row 3: field LABST: expected 7 fields, found 4 (truncated or "
                                                  "shifted line)"),
            ("000000000010000030;DE1;Lager Süd;20261124;1,000;0,000;0,000".encode("latin-1"),
             "row 3: not valid utf-8 text (byte {}: b'\\xfc')"),
            (b'000000000010000030;DE1;0001;"20261124;1,000;0,000;0,000', "row 3: field STICHTAG: '\"' opens a quoted "
                                                                         "field that is never closed")]:
        drop(row_3)
        offset = (folder / "MARD_20261124.csv").read_bytes().find("ü".encode("latin-1"))
        with pytest.raises(SourceError) as error:
            load(sources, warehouse, "DE1", "mard")
        assert str(error.value) == f"DE1 sap_files: MARD_20261124.csv: {problem.format(offset)}"


def test_encoding_error_in_the_header_names_the_header(network):
    sources, warehouse = network
    replace_files(sources / "DE1" / "sap", "MARD_*.csv", "MARD_20261124.csv",
                  HEADER.replace("LGORT", "LAGER\xc4").encode("latin-1") + b"\n" + ROW_1.encode() + b"\n")
    with pytest.raises(SourceError) as error:
        load(sources, warehouse, "DE1", "mard")
    assert str(error.value) == "DE1 sap_files: MARD_20261124.csv: header: not valid utf-8 text (byte 17: b'\\xc4')"


def test_event_lines_are_numbered_by_line_in_messages_and_in_raw(network):
    sources, warehouse = network
    load(sources, warehouse, "DE1", "crhd")
    folder = sources / "DE1" / "events"
    path = sorted(folder.glob("machine_events_*.jsonl"))[-1]
    lines = path.read_text().splitlines()
    connector, entity = JsonLinesConnector("DE1", folder), SOURCE_KINDS["events"].entity("machine_events")
    path.write_text("\n".join([lines[0], "", lines[1][:-1]]) + "\n")
    with pytest.raises(SourceError) as error:
        load_entity(warehouse, connector, entity, PLANTS)
    assert str(error.value).startswith(f"DE1 events: {path.name}: row 3: malformed JSON")

    path.write_text("\n".join([lines[0], "", lines[1]]) + "\n")
    result = load_entity(warehouse, connector, entity, PLANTS)
    stored = query(warehouse, "SELECT _source_row FROM raw.events__machine_events WHERE _load_id = ? "
                              "AND _source_file = ? ORDER BY 1", [result.load_id, path.name])
    assert [r for (r,) in stored] == [1, 3]
    assert_reconciled(warehouse, result)


# --- 5. a plant database is read, never written ------------------------------------------------------------

def listing(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir() if p.is_file()}


def test_missing_database_file_is_a_clear_error_and_creates_nothing(network):
    sources, warehouse = network
    db = sources / "MX1" / "plant.db"
    db.unlink()
    before = listing(db.parent)
    with pytest.raises(SourceError) as error:
        load(sources, warehouse, "MX1", "existencias")
    assert str(error.value) == f"MX1 plant_db: sqlite:///{db} table existencias: database file not found ({db})"
    assert not db.exists() and listing(db.parent) == before


def test_missing_table_is_a_clear_error_and_the_database_is_unchanged(network):
    sources, warehouse = network
    db = sources / "MX1" / "plant.db"
    with sqlite3.connect(db) as con:
        con.execute("DROP TABLE existencias")
    con.close()
    before = listing(db.parent)
    with pytest.raises(SourceError) as error:
        load(sources, warehouse, "MX1", "existencias")
    assert str(error.value) == f"MX1 plant_db: sqlite:///{db} table existencias: table not found"
    assert listing(db.parent) == before
    result = load(sources, warehouse, "MX1", "lineas")  # the other tables still read
    assert result.rows_read > 0 and listing(db.parent) == before
    assert_reconciled(warehouse, result)


def test_locked_database_is_a_clear_error(network):
    sources, warehouse = network
    db = sources / "MX1" / "plant.db"
    writer = sqlite3.connect(db, isolation_level=None)
    writer.execute("BEGIN EXCLUSIVE")
    try:
        connector = PlantDbConnector("MX1", f"sqlite:///{db}", timeout_seconds=0.2)
        with pytest.raises(SourceError) as error:
            load_entity(warehouse, connector, SOURCE_KINDS["plant_db"].entity("lineas"), PLANTS)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert str(error.value) == (f"MX1 plant_db: sqlite:///{db} table lineas: database is locked by another "
                                f"connection (waited 0.2 s): try again when its writer is done")
    assert query(warehouse, "SELECT count(*) FROM raw._loads WHERE plant_code = 'MX1'")[0][0] == 0
