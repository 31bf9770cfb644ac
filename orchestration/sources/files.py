"""What every file-drop connector shares (SAP-style extracts, the generic format, event feeds).

Files are tracked by name and content hash: a file loads once; a file that reappears with new content
(a corrected re-export) loads again; a late file loads whenever it arrives. A file where the layout puts
files but whose name no entity reads, and an entity with no file at all before its first load, are
reported as warnings (`warnings`), so nothing in a source folder is passed over silently.

Rows are numbered as every message and `_source_row` name them: row 1 is the first record after the
header (for JSON lines, the first line); a blank line holds no row but keeps its number.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import hashlib
import io
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from orchestration.sources.connector import (
    NO_SOURCE_FILES,
    UNRECOGNIZED_FILE,
    Batch,
    Connector,
    SourceError,
    SourceState,
    SourceWarnings,
)
from orchestration.sources.kind import SourceEntity

if TYPE_CHECKING:
    from orchestration.config import NetworkConfig, Plant

FOLDER_SETTINGS = {  # an `erp` block naming a folder
    "path": {"type": "string"}, "encoding": {"type": "string"},
    "outbound_path": {"type": "string", "description": "where orders are written back (default: outbound/ "
                                                      "beside path)"}}


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class FileConnector(Connector):
    """Common file-drop behaviour; subclasses say where an entity's files are and how to parse them."""

    layout: str  # the file names the folder should hold, for messages
    date_part = "<YYYYMMDD>"  # what the `*` of a file pattern stands for, for messages

    def __init__(self, plant_code: str, folder: Path, encoding: str = "utf-8"):
        super().__init__(plant_code)
        self.folder = Path(folder)
        self.encoding = encoding
        self.codec = codecs.lookup(encoding).name
        self.utf8 = self.codec in ("utf-8", "utf-8-sig")

    def patterns(self, entity: SourceEntity) -> list[str]:
        """The entity's file names as globs relative to the folder, in the order they load."""
        raise NotImplementedError

    def parse(self, data: bytes, text: str, entity: SourceEntity, where: str) -> tuple[pd.DataFrame, list[int]]:
        """The file's rows as text, and each row's number."""
        raise NotImplementedError

    def row_at(self, text_before: str) -> int:
        """The number of the row that starts or goes on at the end of `text_before` (0: the header)."""
        return text_before.count("\n") + 1

    def kind_entities(self) -> tuple[SourceEntity, ...]:
        """Every entity of this connector's kind: what the folder may hold."""
        from orchestration.sources import SOURCE_KINDS  # the registry imports every kind's connector

        return SOURCE_KINDS[self.source_system].entities

    def files(self, entity: SourceEntity) -> list[Path]:
        return [path for pattern in self.patterns(entity) for path in sorted(self.folder.glob(pattern))
                if path.is_file()]

    def expected(self, entity: SourceEntity) -> str:
        return " or ".join(pattern.replace("*", self.date_part) for pattern in self.patterns(entity))

    def at_row(self, where: str, row: int, problem: str, field_name: str | None = None) -> SourceError:
        """An error at a data row, or in the header (row 0)."""
        if row == 0:
            return self.error(where, f"header: {problem}", field_name=field_name)
        return self.error(where, problem, row=row, field_name=field_name)

    def batches(self, entity: SourceEntity, state: SourceState) -> Iterator[Batch]:
        if not self.folder.is_dir():
            raise self.error(str(self.folder), "source folder not found")
        if entity.essential and not state.files and not self.files(entity):
            raise self.error(str(self.folder), f"no file {self.expected(entity)}: {entity.entity} is required "
                                               "(codes cannot be checked or mapped, nor a plan made, without it)")
        for path in self.files(entity):
            data = path.read_bytes()
            digest = sha256_of(data)
            if state.files.get(path.name) == digest:
                continue
            where = path.name
            body, text = self.decode(data, where)
            if not body.strip():
                raise self.error(where, "empty file (no header, no rows)")
            frame, rows = self.parse(body, text, entity, where)
            yield Batch(self.conform(frame, entity, where), where, rows, digest, watermark=path.name)

    def decode(self, data: bytes, where: str) -> tuple[bytes, str]:
        """The file's bytes and text without a UTF-8 byte-order mark (else the first field's name starts
        with U+FEFF); an undecodable byte is named by its row and its offset in the file."""
        bom = len(codecs.BOM_UTF8) if self.utf8 and data.startswith(codecs.BOM_UTF8) else 0
        body = data[bom:]
        try:
            return body, body.decode("utf-8" if self.utf8 else self.encoding)
        except UnicodeDecodeError as exc:
            row = self.row_at(body[:exc.start].decode(self.encoding, errors="replace"))
            raise self.at_row(where, row, f"not valid {self.encoding} text (byte {bom + exc.start}: "
                                          f"{body[exc.start:exc.start + 1]!r})") from None

    def warnings(self, entity: SourceEntity, state: SourceState) -> list[SourceWarnings]:
        """Files no entity reads (for the whole folder) and, before the entity's first file, its absence."""
        unrecognized = {name: str(self.error(str(self.folder / name), f"not loaded: {self._unread_reason(name)}"))
                        for name in self.unrecognized_files()}
        missing = {}
        if not state.files and not self.files(entity):
            expected = self.expected(entity)
            missing[expected] = str(self.error(str(self.folder), f"no file {expected}: {entity.entity} has "
                                                                 f"loaded nothing yet"))
        return [SourceWarnings(UNRECOGNIZED_FILE, self.source_system, unrecognized),
                SourceWarnings(NO_SOURCE_FILES, entity.entity, missing)]

    def unrecognized_files(self) -> list[str]:
        """Files, relative to the folder, where the layout puts files (the folder, and the entity folders of
        a layout that has them) that no entity reads; hidden files and deeper folders are left alone."""
        entities = self.kind_entities()
        depth = max(pattern.count("/") for entity in entities for pattern in self.patterns(entity))
        read = {path for entity in entities for path in self.files(entity)}
        level, present = [self.folder], []
        for _ in range(depth + 1):
            entries = [p for folder in level for p in folder.iterdir() if not p.name.startswith(".")]
            present += [p for p in entries if p.is_file()]
            level = [p for p in entries if p.is_dir()]
        return sorted(p.relative_to(self.folder).as_posix() for p in present if p not in read)

    def _unread_reason(self, name: str) -> str:
        """Why a file is not read, with the entity it was probably meant for when its name is close to one."""
        entities = {entity.native.lower(): entity for entity in self.kind_entities()}
        word = re.sub(r"[-_ .]*\d[\d\-_ .]*$", "", name.split("/")[0].rsplit(".", 1)[0]).lower()
        guess = difflib.get_close_matches(word, list(entities), n=1, cutoff=0.8)
        if guess:
            return f"not a name plantsync reads (did you mean {self.expected(entities[guess[0]])}?)"
        natives = ", ".join(entity.native for entity in entities.values())
        return f"not a name plantsync reads (expected {self.layout} for one of {natives})"


def connect_folder(connector: type[FileConnector]) -> Callable[[NetworkConfig, Plant, object], FileConnector]:
    """The `connect` of a kind whose `erp` block names a folder of files (`path`) and their `encoding`."""
    return lambda config, plant, simulated: connector(plant.code, config.resolve(plant.erp["path"]),
                                                      plant.erp.get("encoding", "utf-8"))


class DelimitedFileConnector(FileConnector):
    """CSV-like files with a header row; every value kept as the text the file holds."""

    delimiter = ","

    def parse(self, data: bytes, text: str, entity: SourceEntity, where: str) -> tuple[pd.DataFrame, list[int]]:
        """Arrow's multi-threaded reader for well-formed files; the strict reader numbers rows exactly
        and names what is wrong."""
        header = next(csv.reader(io.StringIO(text.split("\n", 1)[0]), delimiter=self.delimiter), [])
        if len(header) == 1 and len(entity.fields) > 1:
            raise self.error(where, f"header has one column ({header[0][:60]!r}): expected {self.delimiter!r}-"
                                    f"separated fields {', '.join(entity.fields)}")
        if (self.utf8 or self.codec == "ascii") and len(set(header)) == len(header):
            try:
                table = pacsv.read_csv(
                    io.BytesIO(data),
                    parse_options=pacsv.ParseOptions(delimiter=self.delimiter),
                    convert_options=pacsv.ConvertOptions(
                        column_types={name: pa.string() for name in header},
                        strings_can_be_null=False, quoted_strings_can_be_null=False))
            except pa.ArrowInvalid:
                table = None  # the strict reader names the row and field
            lines = data.count(b"\n") + (not data.endswith(b"\n"))
            # one row per line after the header, else blank lines or quoted line breaks (or an unclosed
            # quote Arrow would run to the end of the file) make the strict reader number the rows
            if table is not None and table.column_names == header and table.num_rows == lines - 1:
                return table.to_pandas(), list(range(1, table.num_rows + 1))
        return self._parse_strictly(text, entity, where)

    def row_at(self, text_before: str) -> int:
        try:
            return len(list(csv.reader(io.StringIO(text_before + "x", newline=""), delimiter=self.delimiter))) - 1
        except csv.Error:  # a quoted field longer than the csv module allows: count lines instead
            return text_before.count("\n")

    def _parse_strictly(self, text: str, entity: SourceEntity, where: str) -> tuple[pd.DataFrame, list[int]]:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=self.delimiter, strict=True)
        header, rows, numbers, number = [], [], [], 0
        while True:
            first_line = reader.line_num + 1
            try:
                fields = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                raise self._unreadable(text, where, number, first_line, reader.line_num, header, exc) from None
            if number == 0:
                header = fields
            elif fields:  # a blank line holds no row
                if len(fields) != len(header):
                    raise self._field_count_error(where, number, fields, header)
                rows.append(fields)
                numbers.append(number)
            number += 1
        return pd.DataFrame(rows, columns=header, dtype=object), numbers

    def _unreadable(self, text: str, where: str, row: int, first_line: int, last_line: int, header: list[str],
                    exc: csv.Error) -> SourceError:
        """A strict-reader error at the row where the failing record starts: for a quote never closed,
        the field it opens."""
        if last_line == first_line and "unexpected end of data" not in str(exc):
            return self.at_row(where, row, f"unreadable {self.delimiter!r}-separated text: {exc}")
        line = io.StringIO(text, newline="").readlines()[first_line - 1]
        opened = len(next(csv.reader([line.rstrip("\r\n")], delimiter=self.delimiter)))
        field_name = header[opened - 1] if row and opened <= len(header) else None
        problem = "never closed" if "unexpected end of data" in str(exc) else f"not closed on its line ({exc})"
        return self.at_row(where, row, f"'\"' opens a quoted field that is {problem}", field_name)

    def _field_count_error(self, where: str, row: int, fields: list[str], header: list[str]) -> SourceError:
        spanning = next((i for i, value in enumerate(fields) if "\n" in value or "\r" in value), None)
        if spanning is not None and spanning < len(header):
            return self.error(where, f"expected {len(header)} fields, found {len(fields)}: a quoted field runs "
                                     f"over several lines (a closing '\"' missing?)", row=row,
                              field_name=header[spanning])
        field_name = header[len(fields)] if len(fields) < len(header) else None
        return self.error(where, f"expected {len(header)} fields, found {len(fields)} (truncated or shifted "
                                 f"line)", row=row, field_name=field_name)


def as_text(value: object) -> str | None:
    """A JSON value as the text the raw layer stores: nested values as JSON, null as NULL."""
    if value is None:
        return None
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
