"""Connector for machine and quality event feeds as JSON lines."""

from __future__ import annotations

import json

import pandas as pd

from orchestration.sources.files import FileConnector, as_text
from orchestration.sources.kind import SourceEntity


class JsonLinesConnector(FileConnector):
    """Machine and quality events as JSON lines: <entity>_<YYYYMM>.jsonl, one object per line."""

    source_system = "events"
    layout = "<entity>_<YYYYMM>.jsonl"
    date_part = "<YYYYMM>"

    def patterns(self, entity: SourceEntity) -> list[str]:
        return [f"{entity.native}_*.jsonl"]

    def parse(self, data: bytes, text: str, entity: SourceEntity, where: str) -> tuple[pd.DataFrame, list[int]]:
        records, numbers = [], []
        for number, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise self.error(where, f"malformed JSON: {exc.msg} at column {exc.colno}", row=number) from None
            if not isinstance(record, dict):
                raise self.error(where, "expected a JSON object per line", row=number)
            records.append({k: as_text(v) for k, v in record.items()})
            numbers.append(number)
        if not records:
            return pd.DataFrame(columns=list(entity.fields)), numbers
        columns = list(dict.fromkeys(list(entity.fields) + [k for r in records for k in r]))
        return pd.DataFrame.from_records(records, columns=columns), numbers
