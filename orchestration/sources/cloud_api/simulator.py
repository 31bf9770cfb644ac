"""A small simulator of the cloud ERP's JSON API, serving a plant's generated records on loopback.

The demo run and the tests start it on 127.0.0.1 on a free port. It serves `<model>.jsonl` files from
a folder (re-read when they change, so a test can append records), paginates ordered by write date,
checks the bearer token, and can be told to fail a page once or answer it with malformed JSON.

Each page is `{"records": [...], "total": <records matching since>, "next_offset": offset + records read,
or null on the last page}`: the contract `CloudApiConnector` checks every page against.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse


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

            def do_GET(self) -> None:
                url = urlparse(self.path)
                simulator.requests.append(self.path)
                if self.headers.get("Authorization") != f"Bearer {simulator.token}":
                    return self._send(401, b'{"error": "invalid token"}')
                if not url.path.startswith("/api/v1/"):
                    return self._send(404, b'{"error": "not found"}')
                model = url.path.removeprefix("/api/v1/")
                query = parse_qs(url.query)
                offset = int(query.get("offset", ["0"])[0])
                limit = int(query.get("limit", ["100"])[0])
                since = query.get("since", [None])[0]
                if simulator.faults.once.pop((model, offset), None) == "error500":
                    return self._send(500, b'{"error": "internal server error"}')
                if (model, offset) in simulator.faults.malformed:
                    return self._send(200, b'{"records": [{"id": 1, "write_date": ')
                rows = simulator.records(model)
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
