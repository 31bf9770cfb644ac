"""The cloud ERP connector against servers that page wrongly, answer HTML or refuse the token.

Each bad server is a small real HTTP server on 127.0.0.1 paging the generated DE2 stock quants with one
fault. A failing pull names plant, source, endpoint and offset, loads nothing and leaves the watermark
where the last good load put it; a good pull loads every record it read, once.
"""

import json
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from orchestration.raw import load_entity
from orchestration.sources import SOURCE_KINDS
from orchestration.sources.cloud_api.connector import CloudApiConnector
from orchestration.sources.connector import SourceError
from tests.quality.conftest import load_reference, query

PLANTS = ["DE1", "DE2", "DE3", "MX1"]
STOCK_QUANT = SOURCE_KINDS["cloud_api"].entity("stock_quant")
TOKEN_ENV, TOKEN = "PLANTSYNC_DE2_TOKEN", "secret-token"
PAGE = 50
JSON = {"Content-Type": "application/json"}
LOGIN_PAGE = (b'<!DOCTYPE html>\n<html>\n  <head><title>Sign in - Corporate Proxy</title></head>\n'
              b'  <body><form action="/login" method="post"><input name="user"></form></body>\n</html>\n')
LOGIN_TEXT = ('\'<!DOCTYPE html> <html> <head><title>Sign in - Corporate Proxy</title></head> <body><form '
              'action="/login" method="post"><\'')
HTML = "HTML instead of JSON (a login or proxy page?)"


def honest(rows: list[dict], offset: int, limit: int) -> dict:
    """A page as the bundled simulator answers it."""
    end = offset + limit
    return {"records": rows[offset:end], "total": len(rows), "next_offset": end if end < len(rows) else None}


class CloudServer:
    """A cloud ERP on 127.0.0.1 serving `records` newer than `since`, ordered by write date and id.

    `answer(rows, offset, limit)` gives each page: a dict sent as JSON, or (status, headers, body) as is.
    """

    def __init__(self, records: list[dict], answer=honest):
        self.records = sorted(records, key=lambda r: (r["write_date"], r["id"]))
        self.requests: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                return

            def do_GET(self) -> None:
                url = urlparse(self.path)
                server.requests.append(self.path)
                params = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == "/login":
                    return self.reply(200, {"Content-Type": "text/html; charset=utf-8"}, LOGIN_PAGE)
                if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                    return self.reply(401, JSON, b'{"error": "invalid token"}')
                rows = [r for r in server.records if r["write_date"] > params.get("since", "")]
                page = answer(rows, int(params["offset"]), int(params["limit"]))
                if isinstance(page, dict):
                    return self.reply(200, JSON, json.dumps(page).encode())
                self.reply(*page)

            def reply(self, status: int, headers: dict, body: bytes) -> None:
                self.send_response(status)
                for name, value in {**headers, "Content-Length": str(len(body))}.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def pages(self) -> list[int]:
        """The offsets of the pages asked for, in order."""
        return [int(parse_qs(urlparse(r).query)["offset"][0]) for r in self.requests if "offset=" in r]

    def __enter__(self) -> "CloudServer":
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture(scope="module")
def quants(small_sources) -> list[dict]:
    path = small_sources / "DE2" / "cloud" / "stock.quant.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()]


@pytest.fixture(scope="module")
def reference_warehouse(small_sources, tmp_path_factory) -> Path:
    warehouse = tmp_path_factory.mktemp("reference") / "warehouse.duckdb"
    load_reference(small_sources / "network.yaml", warehouse)
    return warehouse


@pytest.fixture()
def warehouse(reference_warehouse, tmp_path, monkeypatch) -> Path:
    """A private warehouse holding the network reference the stock quants are checked against."""
    monkeypatch.setenv(TOKEN_ENV, TOKEN)
    target = tmp_path / "warehouse.duckdb"
    shutil.copy(reference_warehouse, target)
    return target


@pytest.fixture()
def newer(warehouse, quants) -> list[dict]:
    """Load the older half of the quants from a good server; return the newer half, still to load."""
    cut = sorted(q["write_date"] for q in quants)[len(quants) // 12]  # the oldest twelfth of the rows
    older = [q for q in quants if q["write_date"] <= cut]
    with CloudServer(older) as server:
        first = load(server.url, warehouse)
    assert (first.rows_read, first.watermark_after) == (len(older), cut)
    rows = sorted((q for q in quants if q["write_date"] > cut), key=lambda r: (r["write_date"], r["id"]))
    assert len(rows) > 3 * PAGE  # enough pages for the faults below
    return rows


def load(url: str, warehouse: Path):
    connector = CloudApiConnector("DE2", url, TOKEN_ENV, page_size=PAGE, max_retries=1, backoff_seconds=0.01)
    return load_entity(warehouse, connector, STOCK_QUANT, PLANTS)


def loaded(warehouse: Path) -> tuple[list[tuple], int]:
    """DE2's stock-quant loads (rows read, loaded, watermark before and after) and its raw row count."""
    loads = query(warehouse, "SELECT rows_read, rows_loaded, watermark_before, watermark_after "
                             "FROM raw._loads WHERE plant_code = 'DE2' AND entity = 'stock_quant' "
                             "ORDER BY finished_at")
    return loads, query(warehouse, "SELECT count(*) FROM raw.cloud__stock_quant")[0][0]


def fails_and_loads_nothing(server: CloudServer, warehouse: Path) -> str:
    """Pull from a bad server: it must raise, and leave the loads, raw rows and watermark as they were."""
    before = loaded(warehouse)
    assert len(before[0]) == 1 and before[1] > 0  # the good load the `newer` fixture made
    with pytest.raises(SourceError) as error:
        load(server.url, warehouse)
    assert loaded(warehouse) == before
    return str(error.value).replace(server.url, "URL")


ENDPOINT = "DE2 cloud_api: GET URL/api/v1/stock.quant"


def fault_at(offset: int, change):
    """A server that pages honestly except on the page at `offset`, which `change(page, rows)` edits."""
    def answer(rows, at, limit):
        page = honest(rows, at, limit)
        return change(page, rows) if at == offset else page
    return answer


@pytest.mark.parametrize("at, next_offset", [(50, 50), (100, 0)])
def test_next_offset_that_does_not_advance_stops(warehouse, newer, at, next_offset):
    with CloudServer(newer, fault_at(at, lambda page, rows: {**page, "next_offset": next_offset})) as server:
        assert fails_and_loads_nothing(server, warehouse) == (
            f"{ENDPOINT}?offset={at}: next_offset {next_offset} does not advance past offset {at}: stopped "
            "rather than read the same page again")
        assert server.pages == list(range(0, at + PAGE, PAGE))


def test_next_offset_that_skips_records_fails(warehouse, newer):
    with CloudServer(newer, fault_at(50, lambda page, rows: {**page, "next_offset": 150})) as server:
        assert fails_and_loads_nothing(server, warehouse) == (
            f"{ENDPOINT}?offset=50: next_offset 150 does not follow the 50 records at offset 50 "
            "(expected 100): records would be skipped")


def test_next_offset_that_is_not_a_number_fails(warehouse, newer):
    with CloudServer(newer, fault_at(50, lambda page, rows: {**page, "next_offset": "100"})) as server:
        assert fails_and_loads_nothing(server, warehouse) == (
            f"{ENDPOINT}?offset=50: next_offset is '100', not a number of records")


def test_missing_next_offset_is_reconciled_against_the_total(warehouse, newer):
    with CloudServer(newer, fault_at(0, lambda page, rows: {**page, "next_offset": None})) as server:
        assert fails_and_loads_nothing(server, warehouse) == (
            f"{ENDPOINT}?offset=0: no next_offset after 50 records, but the server's total is {len(newer)}: "
            f"{len(newer) - 50} records not read")
        assert server.pages == [0]


def test_total_below_the_records_served_fails(warehouse, newer):
    def answer(rows, offset, limit):
        return {**honest(rows, offset, limit), "total": len(rows) - 1}
    last = (len(newer) - 1) // PAGE * PAGE
    with CloudServer(newer, answer) as server:
        assert fails_and_loads_nothing(server, warehouse) == (
            f"{ENDPOINT}?offset={last}: no next_offset after {len(newer)} records, but the server's total is "
            f"{len(newer) - 1}: read 1 more than it counts")


def test_repeated_page_fails_naming_the_record_read_twice(warehouse, newer):
    repeat = fault_at(50, lambda page, rows: {**page, "records": rows[:50]})
    with CloudServer(newer, repeat) as server:
        assert fails_and_loads_nothing(server, warehouse) == (
            f"{ENDPOINT}?offset=50: row 51: record id {newer[0]['id']} was already read as row 1 in this "
            "pull: the server repeats records, so others may be missing")


def endless(total_of):
    """A server that never ends: past the real rows it makes up new ones; `total_of(offset)` is its total."""
    def answer(rows, offset, limit):
        made_up = [dict(rows[0], id=10**6 + n) for n in range(max(offset, len(rows)), offset + limit)]
        return {"records": (rows[offset:offset + limit] + made_up)[:limit], "total": total_of(rows, offset),
                "next_offset": offset + limit}
    return answer


def test_endless_pages_stop_at_the_servers_total(warehouse, newer):
    last = len(newer) // PAGE * PAGE
    with CloudServer(newer, endless(lambda rows, offset: len(rows))) as server:
        assert fails_and_loads_nothing(server, warehouse) == (
            f"{ENDPOINT}?offset={last}: {last + PAGE} records read so far, more than the server's total of "
            f"{len(newer)}")


def test_endless_pages_with_a_growing_total_stop_at_the_backstop(warehouse, newer):
    with CloudServer(newer, endless(lambda rows, offset: offset + PAGE + 1)) as server:
        assert fails_and_loads_nothing(server, warehouse) == (
            f"{ENDPOINT}?offset=550: 600 records read so far, more than the 51 the server counted at the "
            "start and 500 written since: stopped")
        assert len(server.pages) == 12


@pytest.mark.parametrize("reply, problem", [
    ((200, {"Content-Type": "text/html"}, LOGIN_PAGE), f"{HTML}: {LOGIN_TEXT}"),
    ((200, {}, LOGIN_PAGE), f"{HTML}: {LOGIN_TEXT}"),
    ((302, {"Location": "/login?next=/api"}, b""),
     f"{HTML}, redirected to URL/login?next=/api: {LOGIN_TEXT}"),
    ((403, JSON, b'{"error": "forbidden"}'),
     f"token refused (HTTP 403): check the environment variable {TOKEN_ENV}"),
    ((200, JSON, b'{"records": "none"}'), "response has no 'records' list"),
])
def test_page_that_is_not_the_api_names_the_problem(warehouse, newer, reply, problem):
    with CloudServer(newer, fault_at(100, lambda page, rows: reply)) as server:
        assert fails_and_loads_nothing(server, warehouse) == f"{ENDPOINT}?offset=100: {problem}"


def test_refused_token_names_the_variable(warehouse, newer, monkeypatch):
    monkeypatch.setenv(TOKEN_ENV, "expired-token")
    with CloudServer(newer) as server:
        assert fails_and_loads_nothing(server, warehouse) == (
            f"{ENDPOINT}?offset=0: token refused (HTTP 401): check the environment variable {TOKEN_ENV}")


def test_missing_token_asks_nothing_of_the_server(warehouse, newer, monkeypatch):
    monkeypatch.delenv(TOKEN_ENV)
    with CloudServer(newer) as server:
        assert fails_and_loads_nothing(server, warehouse) == (
            f"{ENDPOINT}?offset=0: no API token: set the environment variable {TOKEN_ENV}")
        assert server.requests == []


def capped(rows, offset, limit):
    """A server that gives at most 20 records a page whatever the limit asked, and says so in next_offset."""
    return honest(rows, offset, min(limit, 20))


def without_total(rows, offset, limit):
    page = honest(rows, offset, limit)
    del page["total"]
    return page


def accounted(warehouse: Path, load_id: str) -> tuple[int, int, int]:
    """A load's rows read, rows loaded and rows quarantined, as raw._loads and raw._quarantine record them."""
    return query(warehouse, "SELECT rows_read, rows_loaded, (SELECT count(DISTINCT source_row) "
                            "FROM raw._quarantine q WHERE q.load_id = l.load_id) "
                            "FROM raw._loads l WHERE load_id = ?", [load_id])[0]


@pytest.mark.parametrize("answer, page_size", [(honest, PAGE), (capped, 20), (without_total, PAGE)])
def test_good_server_loads_every_page_once(warehouse, quants, answer, page_size):
    with CloudServer(quants, answer) as server:
        result = load(server.url, warehouse)
        assert server.pages == list(range(0, len(quants), page_size))  # each page asked for once, in order
        again = load(server.url, warehouse)
    read, loaded_rows, quarantined = accounted(warehouse, result.load_id)
    assert read == len(quants) == loaded_rows + quarantined
    assert result.watermark_after == max(q["write_date"] for q in quants)
    assert (again.rows_read, again.watermark_after) == (0, result.watermark_after)
    assert loaded(warehouse)[1] == len(quants)


def test_good_server_after_an_earlier_load_reads_only_the_newer_records(warehouse, newer):
    with CloudServer(newer) as server:
        result = load(server.url, warehouse)
    assert server.pages == list(range(0, len(newer), PAGE))
    assert accounted(warehouse, result.load_id)[0] == len(newer)
    assert result.watermark_after == newer[-1]["write_date"]


def test_record_listed_twice_in_a_row_loads_and_its_copy_is_quarantined(warehouse, quants):
    """A copy in the source (even across a page boundary) is not a paging fault: it loads, and the raw
    suite quarantines the second one as a unique_key copy, so nothing is lost or hidden."""
    rows = sorted(quants, key=lambda r: (r["write_date"], r["id"]))
    rows.insert(PAGE, dict(rows[PAGE - 1]))
    with CloudServer(rows) as server:
        result = load(server.url, warehouse)
    assert accounted(warehouse, result.load_id) == (len(rows), len(rows) - 1, 1)
    assert query(warehouse, "SELECT source_row, rule FROM raw._quarantine WHERE load_id = ?",
                 [result.load_id]) == [(PAGE + 1, "unique_key")]
