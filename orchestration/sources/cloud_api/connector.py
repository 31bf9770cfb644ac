"""Connector for a cloud ERP's paginated JSON API (Odoo-like models), with a bearer token.

Reads `GET {base_url}/api/v1/{model}?since=<write_date>&offset=&limit=` page by page; retries 5xx and
connection errors with exponential backoff; the token comes from the environment variable the network
config names, never from the repository.

Each page is `{"records": [...], "next_offset": int | null, "total": int}`. The server is not trusted to
page correctly: each `next_offset` must follow the records just read, a record may not come back later
in the pull, and at the end the records read must match the server's `total` (when it gives one). Any
breach fails the whole pull before a batch is yielded, so nothing loads and the watermark stays put.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import pandas as pd
import requests

from orchestration.sources.connector import Batch, Connector, SourceState
from orchestration.sources.files import as_text
from orchestration.sources.kind import SourceEntity

PAGES_WRITTEN_MEANWHILE = 10  # pages a pull may read beyond the total it began with: only a backstop


class CloudApiConnector(Connector):
    source_system = "cloud_api"

    def __init__(self, plant_code: str, base_url: str, token_env: str, page_size: int = 500,
                 timeout_seconds: float = 10.0, max_retries: int = 4, backoff_seconds: float = 0.2):
        super().__init__(plant_code)
        self.base_url = base_url.rstrip("/")
        self.token_env = token_env
        self.page_size = page_size
        self.timeout = timeout_seconds
        self.max_retries = max_retries
        self.backoff = backoff_seconds

    def _token(self, where: str) -> str:
        token = os.environ.get(self.token_env)
        if not token:
            raise self.error(where, f"no API token: set the environment variable {self.token_env}")
        return token

    def _get(self, session: requests.Session, url: str, params: dict, where: str) -> dict:
        for attempt in range(self.max_retries + 1):
            try:
                response = session.get(url, params=params, timeout=self.timeout)
            except (requests.ConnectionError, requests.Timeout) as exc:
                if attempt == self.max_retries:
                    raise self.error(where, f"unreachable after {attempt + 1} attempts: "
                                            f"{type(exc).__name__}") from None
            else:
                if response.status_code in (401, 403):
                    raise self.error(where, f"token refused (HTTP {response.status_code}): check the "
                                            f"environment variable {self.token_env}")
                if response.status_code < 500:
                    break
                if attempt == self.max_retries:
                    raise self.error(where, f"HTTP {response.status_code} after {attempt + 1} attempts")
            time.sleep(self.backoff * 2**attempt)
        if response.status_code != 200:
            raise self.error(where, f"HTTP {response.status_code}: {response.text[:200]}")
        content_type = response.headers.get("Content-Type", "").lower()
        if "html" in content_type or response.text.lstrip().startswith("<"):
            redirected = f", redirected to {response.url}" if response.history else ""
            raise self.error(where, f"HTML instead of JSON (a login or proxy page?){redirected}: "
                                    f"{' '.join(response.text.split())[:120]!r}")
        try:
            page = response.json()
        except ValueError as exc:
            raise self.error(where, f"malformed JSON in the response: {exc}") from None
        if not isinstance(page, dict) or not isinstance(page.get("records"), list):
            raise self.error(where, "response has no 'records' list")
        return page

    def _count(self, page: dict, name: str, where: str) -> int | None:
        """A page's `total` or `next_offset`: absent, or a whole number of records."""
        value = page.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            raise self.error(where, f"{name} is {value!r}, not a number of records")
        return value

    def batches(self, entity: SourceEntity, state: SourceState) -> Iterator[Batch]:
        url = f"{self.base_url}/api/v1/{entity.native}"
        where = f"GET {url}?offset=0"
        token = self._token(where)
        records: list[dict] = []
        rows: list[int] = []
        first_read: dict[tuple, int] = {}  # record key -> the row it was first read as
        offset, total, first_total = 0, None, None
        with requests.Session() as session:
            session.headers["Authorization"] = f"Bearer {token}"
            while True:
                where = f"GET {url}?offset={offset}"
                params = {"offset": offset, "limit": self.page_size}
                if state.watermark:
                    params["since"] = state.watermark
                page = self._get(session, url, params, where)
                total = self._count(page, "total", where)
                first_total = total if first_total is None else first_total
                for position, record in enumerate(page["records"]):
                    row = offset + position + 1
                    if not isinstance(record, dict):
                        raise self.error(where, "record is not a JSON object", row=row)
                    text = {k: as_text(v) for k, v in record.items()}
                    self._check_not_read_before(entity, text, row, records, first_read, where)
                    records.append(text)
                    rows.append(row)
                next_offset = self._count(page, "next_offset", where)
                if next_offset is None:
                    break
                self._check_next_offset(next_offset, offset, len(page["records"]), where)
                read = len(records)
                if total is not None and read > total:
                    raise self.error(where, f"{read} records read so far, more than the server's total "
                                            f"of {total}")
                written_since = PAGES_WRITTEN_MEANWHILE * self.page_size
                if first_total is not None and read > first_total + written_since:
                    raise self.error(where, f"{read} records read so far, more than the {first_total} the "
                                            f"server counted at the start and {written_since} written since: "
                                            "stopped")
                offset = next_offset
        if total is not None and len(records) != total:
            gap = (f"{total - len(records)} records not read" if len(records) < total
                   else f"read {len(records) - total} more than it counts")
            raise self.error(where, f"no next_offset after {len(records)} records, but the server's total is "
                                    f"{total}: {gap}")
        if not records:
            return
        frame = pd.DataFrame.from_records(records)
        watermark = max(r.get(entity.watermark_field) or "" for r in records) or state.watermark
        yield Batch(self.conform(frame, entity, f"GET {url}"), f"GET {url}", rows, watermark=watermark)

    def _check_next_offset(self, next_offset: int, offset: int, page_records: int, where: str) -> None:
        """The next page must start right after this one's records: no loop, no gap, no overlap."""
        if next_offset <= offset:
            raise self.error(where, f"next_offset {next_offset} does not advance past offset {offset}: "
                                    "stopped rather than read the same page again")
        expected = offset + page_records
        if next_offset != expected:
            effect = "skipped" if next_offset > expected else "read twice"
            raise self.error(where, f"next_offset {next_offset} does not follow the {page_records} records "
                                    f"at offset {offset} (expected {expected}): records would be {effect}")

    def _check_not_read_before(self, entity: SourceEntity, record: dict, row: int, records: list[dict],
                               first_read: dict[tuple, int], where: str) -> None:
        """A record met again later in the pull means the server repeated a page or records moved while
        paged, so others were skipped. A record listed twice in a row is a copy in the source instead:
        it loads, and the raw suite quarantines the second one as a unique_key copy."""
        key = tuple(record.get(field) for field in entity.key)
        if None in key:
            return
        first = first_read.setdefault(key, row)
        if first != row and not (first == row - 1 and records[-1] == record):
            named = ", ".join(f"{field} {value}" for field, value in zip(entity.key, key))
            raise self.error(where, f"record {named} was already read as row {first} in this pull: the "
                                    "server repeats records, so others may be missing", row=row)
