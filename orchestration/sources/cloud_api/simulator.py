"""A small simulator of the cloud ERP's JSON API, serving a plant's generated records on loopback.

The demo run and the tests start it on 127.0.0.1 on a free port. It serves `<model>.jsonl` files from
a folder (re-read when they change, so a test can append records), paginates ordered by write date,
checks the bearer token, and can be told to fail a page once or answer it with malformed JSON.

Each page is `{"records": [...], "total": <records matching since>, "next_offset": offset + records read,
or null on the last page}`: the contract `CloudApiConnector` checks every page against.

It also takes orders written back (`WRITABLE`): `POST /api/v1/<model>` creates a record after checking
its fields (400 naming the first bad one), refusing a second record with the same `origin`, the
external reference (409 with the record's id); `PUT /api/v1/<model>/<origin>` replaces that record's
fields (404 when there is none). Received records are kept in `received/<model>.jsonl` beside the
served files, so they outlast the simulator, and read back page by page from
`GET /api/v1/received/<model>`.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

RECEIVED = "received"
# model -> (its quantity field, every field a written record must have, the fields holding ISO dates)
WRITABLE = {
    "mrp.production": ("product_qty", ("origin", "default_code", "product_qty", "product_uom_id", "date_start",
                                       "date_deadline", "state"), ("date_start", "date_deadline")),
    "purchase.order": ("product_qty", ("origin", "partner_ref", "default_code", "product_qty", "product_uom",
                                       "date_order", "date_planned", "state"), ("date_order", "date_planned")),
    "stock.picking": ("quantity", ("origin", "default_code", "quantity", "product_uom_id", "location_id",
                                   "location_dest_id", "scheduled_date", "date_deadline", "state"),
                      ("scheduled_date", "date_deadline")),
}


def invalid(model: str, record: object) -> str | None:
    """Why a record written to `model` cannot be taken, or None."""
    if not isinstance(record, dict):
        return "the body is not a JSON object"
    qty_field, required, dates = WRITABLE[model]
    missing = [f for f in required if record.get(f) in (None, "", False)]
    if missing:
        return f"{missing[0]} is required"
    qty = record[qty_field]
    if isinstance(qty, bool) or not isinstance(qty, int | float) or qty < 0:
        return f"{qty_field} must be a number of at least 0, got {qty!r}"
    if qty == 0 and record["state"] != "cancel":
        return f"{qty_field} is 0 on a record that is not cancelled"
    for name in dates:
        try:
            date.fromisoformat(str(record[name])[:10])
        except ValueError:
            return f"{name} is not a date: {record[name]!r}"
    return None


@dataclass
class Faults:
    """Per (model, offset): 'error500' once, or 'malformed' always; consumed as they fire."""

    once: dict[tuple[str, int], str] = field(default_factory=dict)
    malformed: set[tuple[str, int]] = field(default_factory=set)


class CloudErpSimulator:
    def __init__(self, data_dir: Path, token: str, host: str = "127.0.0.1", port: int = 0,
                 faults: Faults | None = None):
        self.data_dir = Path(data_dir)
        self.token = token
        self.faults = faults or Faults()
        self.requests: list[str] = []
        self._cache: dict[str, tuple[float, list[dict]]] = {}
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer((host, port), self._handler())
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def records(self, model: str) -> list[dict] | None:
        path = self.data_dir / f"{model}.jsonl"
        if not path.is_file():
            return None
        with self._lock:
            mtime = path.stat().st_mtime_ns
            cached = self._cache.get(model)
            if cached is None or cached[0] != mtime:
                rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
                rows.sort(key=lambda r: (str(r.get("write_date") or ""), r.get("id", 0)))
                self._cache[model] = (mtime, rows)
            return self._cache[model][1]

    def received(self, model: str) -> list[dict]:
        """The records written to `model`, in the order they came."""
        return self.records(f"{RECEIVED}/{model}") or []

    def receive(self, model: str, record: dict, origin: str | None) -> tuple[int, dict]:
        """Create (origin None) or replace the record with that origin; the HTTP status and answer."""
        with self._lock:
            path = self.data_dir / RECEIVED / f"{model}.jsonl"
            rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.is_file() else []
            by_origin = {row["origin"]: row for row in rows}
            if origin is None and record["origin"] in by_origin:
                return 409, {"error": f"a record with origin {record['origin']!r} exists",
                             "id": by_origin[record["origin"]]["id"]}
            if origin is not None and (origin not in by_origin or record["origin"] != origin):
                return 404, {"error": f"no record with origin {origin!r}"}
            stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
            if origin is None:
                row = {**record, "id": len(rows) + 1, "write_date": stamp}
                rows.append(row)
            else:
                row = by_origin[origin]
                row.update(record, write_date=stamp)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
            self._cache.pop(f"{RECEIVED}/{model}", None)
            return (201 if origin is None else 200), {"id": row["id"]}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        simulator = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep test and run output quiet
                return

            def _send(self, status: int, body: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _refused(self) -> bool:
                """Answer a request with the wrong token, or to a path outside the API; True when answered."""
                simulator.requests.append(f"{self.command} {self.path}")
                if self.headers.get("Authorization") != f"Bearer {simulator.token}":
                    self._send(401, b'{"error": "invalid token"}')
                    return True
                if not self.path.startswith("/api/v1/"):
                    self._send(404, b'{"error": "not found"}')
                    return True
                return False

            def _write(self, origin: bool) -> None:
                if self._refused():
                    return
                model, _, reference = urlparse(self.path).path.removeprefix("/api/v1/").partition("/")
                if model not in WRITABLE or bool(reference) != origin:
                    return self._send(404, json.dumps({"error": f"cannot write to {self.path}"}).encode())
                try:
                    record = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
                except ValueError as exc:
                    return self._send(400, json.dumps({"error": f"malformed JSON: {exc}"}).encode())
                problem = invalid(model, record)
                if problem:
                    return self._send(400, json.dumps({"error": problem}).encode())
                status, answer = simulator.receive(model, record, unquote(reference) if origin else None)
                return self._send(status, json.dumps(answer).encode())

            def do_POST(self) -> None:
                self._write(origin=False)

            def do_PUT(self) -> None:
                self._write(origin=True)

            def do_GET(self) -> None:
                if self._refused():
                    return
                url = urlparse(self.path)
                model = url.path.removeprefix("/api/v1/")
                query = parse_qs(url.query)
                offset = int(query.get("offset", ["0"])[0])
                limit = int(query.get("limit", ["100"])[0])
                since = query.get("since", [None])[0]
                if simulator.faults.once.pop((model, offset), None) == "error500":
                    return self._send(500, b'{"error": "internal server error"}')
                if (model, offset) in simulator.faults.malformed:
                    return self._send(200, b'{"records": [{"id": 1, "write_date": ')
                written = model.removeprefix(f"{RECEIVED}/")
                rows = simulator.received(written) if written != model and written in WRITABLE else simulator.records(model)
                if rows is None:
                    return self._send(404, json.dumps({"error": f"unknown model {model}"}).encode())
                if since:
                    rows = [r for r in rows if str(r.get("write_date") or "") > since]
                page = rows[offset: offset + limit]
                next_offset = offset + limit if offset + limit < len(rows) else None
                body = {"records": page, "total": len(rows), "next_offset": next_offset}
                return self._send(200, json.dumps(body).encode())

        return Handler

    def start(self) -> CloudErpSimulator:
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> CloudErpSimulator:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
