"""Connector for a cloud ERP's paginated JSON API (Odoo-like models), with a bearer token.

Reads `GET {base_url}/api/v1/{model}?since=<write_date>&offset=&limit=` page by page; retries 5xx and
connection errors with exponential backoff; the token comes from the environment variable the network
config names, never from the repository.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import pandas as pd
import requests

from orchestration.erp.base import Batch, Connector, SourceState
from orchestration.erp.catalog import SourceEntity
from orchestration.erp.files import as_text


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

    def _token(self) -> str:
        token = os.environ.get(self.token_env)
        if not token:
            raise self.error(self.base_url, f"no API token: set the environment variable {self.token_env}")
        return token

    def _get(self, session: requests.Session, url: str, params: dict) -> dict:
        where = f"GET {url}?offset={params['offset']}"
        for attempt in range(self.max_retries + 1):
            try:
                response = session.get(url, params=params, timeout=self.timeout)
            except (requests.ConnectionError, requests.Timeout) as exc:
                if attempt == self.max_retries:
                    raise self.error(where, f"unreachable after {attempt + 1} attempts: "
                                            f"{type(exc).__name__}") from None
            else:
                if response.status_code in (401, 403):
                    raise self.error(where, f"token refused (HTTP {response.status_code}): check the environment "
                                            f"variable {self.token_env}")
                if response.status_code < 500:
                    break
                if attempt == self.max_retries:
                    raise self.error(where, f"HTTP {response.status_code} after {attempt + 1} attempts")
            time.sleep(self.backoff * 2**attempt)
        if response.status_code != 200:
            raise self.error(where, f"HTTP {response.status_code}: {response.text[:200]}")
        try:
            page = response.json()
        except ValueError as exc:
            raise self.error(where, f"malformed JSON in the response: {exc}") from None
        if not isinstance(page, dict) or not isinstance(page.get("records"), list):
            raise self.error(where, "response has no 'records' list")
        return page

    def batches(self, entity: SourceEntity, state: SourceState) -> Iterator[Batch]:
        url = f"{self.base_url}/api/v1/{entity.native}"
        with requests.Session() as session:
            session.headers["Authorization"] = f"Bearer {self._token()}"
            offset, records, rows = 0, [], []
            while True:
                params = {"offset": offset, "limit": self.page_size}
                if state.watermark:
                    params["since"] = state.watermark
                page = self._get(session, url, params)
                for position, record in enumerate(page["records"]):
                    if not isinstance(record, dict):
                        raise self.error(f"GET {url}", "record is not a JSON object", row=offset + position + 1)
                    records.append({k: as_text(v) for k, v in record.items()})
                    rows.append(offset + position + 1)
                if page.get("next_offset") is None or not page["records"]:
                    break
                offset = int(page["next_offset"])
        if not records:
            return
        frame = pd.DataFrame.from_records(records)
        watermark = max(r.get(entity.watermark_field) or "" for r in records) or state.watermark
        yield Batch(self.conform(frame, entity, f"GET {url}"), f"GET {url}", rows, watermark=watermark)
