"""Connectors for file drops: SAP-style flat-file extracts, the generic format, and event feeds.

Files are tracked by name and content hash: a file loads once; a file that reappears with new content
(a corrected re-export) loads again; a late file loads whenever it arrives.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from orchestration.erp.base import Batch, Connector, SourceState
from orchestration.erp.catalog import SourceEntity


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class FileConnector(Connector):
    """Common file-drop behaviour; subclasses say where an entity's files are and how to parse them."""

    def __init__(self, plant_code: str, folder: Path, encoding: str = "utf-8"):
        super().__init__(plant_code)
        self.folder = Path(folder)
        self.encoding = encoding

    def files(self, entity: SourceEntity) -> list[Path]:
        raise NotImplementedError

    def parse(self, data: bytes, text: str, entity: SourceEntity, where: str) -> pd.DataFrame:
        raise NotImplementedError

    def batches(self, entity: SourceEntity, state: SourceState) -> Iterator[Batch]:
        if not self.folder.is_dir():
            raise self.error(str(self.folder), "source folder not found")
        for path in self.files(entity):
            data = path.read_bytes()
            digest = sha256_of(data)
            if state.files.get(path.name) == digest:
                continue
            where = path.name
            if not data.strip():
                raise self.error(where, "empty file (no header, no rows)")
            try:
                text = data.decode(self.encoding)
            except UnicodeDecodeError as exc:
                line = data[: exc.start].count(b"\n") + 1
                raise self.error(where, f"not valid {self.encoding} text (byte {exc.start}: "
                                        f"{data[exc.start:exc.start + 1]!r})", row=line) from None
            frame = self.parse(data, text, entity, where)
            yield Batch(self.conform(frame, entity, where), where, list(range(1, len(frame) + 1)), digest,
                        watermark=path.name)


class DelimitedFileConnector(FileConnector):
    """CSV-like files with a header row; every value kept as the text the file holds."""

    delimiter = ","

    def parse(self, data: bytes, text: str, entity: SourceEntity, where: str) -> pd.DataFrame:
        """Arrow's multi-threaded reader for well-formed files; the strict reader names what is wrong."""
        header = next(csv.reader(io.StringIO(text.split("\n", 1)[0]), delimiter=self.delimiter), [])
        if len(header) == 1 and len(entity.fields) > 1:
            raise self.error(where, f"header has one column ({header[0][:60]!r}): expected {self.delimiter!r}-"
                                    f"separated fields {', '.join(entity.fields)}", row=1)
        if self.encoding.replace("-", "").lower() in ("utf8", "ascii") and len(set(header)) == len(header):
            try:
                table = pacsv.read_csv(
                    io.BytesIO(data),
                    parse_options=pacsv.ParseOptions(delimiter=self.delimiter),
                    convert_options=pacsv.ConvertOptions(
                        column_types={name: pa.string() for name in header},
                        strings_can_be_null=False, quoted_strings_can_be_null=False))
                return table.to_pandas()
            except pa.ArrowInvalid:
                pass  # fall through to the strict reader for a precise row and field
        return self._parse_strictly(text, entity, where)

    def _parse_strictly(self, text: str, entity: SourceEntity, where: str) -> pd.DataFrame:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=self.delimiter, strict=True)
        try:
            header = next(reader)
            rows = list(reader)
        except csv.Error as exc:
            raise self.error(where, f"unreadable {self.delimiter!r}-separated text: {exc}",
                             row=reader.line_num) from None
        for number, row in enumerate(rows, start=1):
            if len(row) != len(header):
                field_name = header[len(row)] if len(row) < len(header) else None
                raise self.error(where, f"expected {len(header)} fields, found {len(row)} (truncated or shifted "
                                        f"line)", row=number, field_name=field_name)
        return pd.DataFrame(rows, columns=header, dtype=object)


class SapFileConnector(DelimitedFileConnector):
    """SAP-style extracts: <TABLE>_<YYYYMMDD>.csv, ';' separated, SAP field names, decimal commas."""

    source_system = "sap_files"
    delimiter = ";"

    def files(self, entity: SourceEntity) -> list[Path]:
        return sorted(self.folder.glob(f"{entity.native}_*.csv"))


class GenericFileConnector(DelimitedFileConnector):
    """The documented generic format: <entity>/<entity>_<YYYYMMDD>.csv, ',' separated, ISO dates."""

    source_system = "generic"

    def files(self, entity: SourceEntity) -> list[Path]:
        return sorted((self.folder / entity.native).glob(f"{entity.native}_*.csv")) + sorted(
            self.folder.glob(f"{entity.native}.csv"))


class JsonLinesConnector(FileConnector):
    """Machine and quality events as JSON lines: <entity>_<YYYYMM>.jsonl, one object per line."""

    source_system = "events"

    def files(self, entity: SourceEntity) -> list[Path]:
        return sorted(self.folder.glob(f"{entity.native}_*.jsonl"))

    def parse(self, data: bytes, text: str, entity: SourceEntity, where: str) -> pd.DataFrame:
        records = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise self.error(where, f"malformed JSON: {exc.msg} at column {exc.colno}", row=number) from None
            if not isinstance(record, dict):
                raise self.error(where, "expected a JSON object per line", row=number)
            records.append({k: as_text(v) for k, v in record.items()})
        return pd.DataFrame.from_records(records, columns=list(dict.fromkeys(
            list(entity.fields) + [k for r in records for k in r]))) if records else pd.DataFrame(
            columns=list(entity.fields))


def as_text(value: object) -> str | None:
    """A JSON value as the text the raw layer stores: nested values as JSON, null as NULL."""
    if value is None:
        return None
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
