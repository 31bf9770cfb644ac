"""Connector for a home-grown plant database read over SQL (SQLite by default; any SQLAlchemy URL).

Reads rows changed after the watermark column's last value; identifiers are quoted by the dialect and
the watermark is a bound parameter, never pasted into the SQL text. A SQLite file is opened read-only:
reading a source never writes to it, so a missing file is an error rather than a new empty database.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import sqlalchemy as sa

from orchestration.sources.connector import Batch, Connector, SourceState
from orchestration.sources.files import as_text
from orchestration.sources.kind import SourceEntity

if TYPE_CHECKING:
    from orchestration.config import NetworkConfig, Plant


def sqlite_file(url: sa.URL) -> Path | None:
    """The file of a SQLite database given by its path; None for another database."""
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:") or url.query.get("uri"):
        return None
    return Path(url.database).resolve()


def database_url(config: NetworkConfig, plant: Plant) -> str:
    """The plant's SQLAlchemy URL, `{sources}` expanded to the network's sources folder."""
    return plant.erp["url"].replace("{sources}", str(config.sources_dir))


class PlantDbConnector(Connector):
    source_system = "plant_db"

    def __init__(self, plant_code: str, url: str, timeout_seconds: float = 5.0):
        super().__init__(plant_code)
        self.url = url
        self.timeout_seconds = timeout_seconds  # how long to wait for a writer's lock on a SQLite file

    def engine(self, where: str) -> sa.Engine:
        """An engine that cannot change the source: a SQLite file read-only, and only if it exists."""
        url = sa.engine.make_url(self.url)
        path = sqlite_file(url)
        if path is None:
            return sa.create_engine(self.url)
        if not path.is_file():
            raise self.error(where, f"database file not found ({path})")
        read_only = f"{path.as_uri()}?mode=ro"
        return sa.create_engine(url, creator=lambda: sqlite3.connect(read_only, uri=True,
                                                                     timeout=self.timeout_seconds))

    def batches(self, entity: SourceEntity, state: SourceState) -> Iterator[Batch]:
        where = f"{sa.engine.make_url(self.url).render_as_string(hide_password=True)} table {entity.native}"
        engine = self.engine(where)
        try:
            with engine.connect() as connection:
                if not sa.inspect(connection).has_table(entity.native):
                    raise self.error(where, "table not found")
                quote = engine.dialect.identifier_preparer.quote
                watermark = quote(entity.watermark_field)
                sql = f"SELECT * FROM {quote(entity.native)}"
                params = {}
                if state.watermark:
                    sql += f" WHERE {watermark} > :watermark"
                    params["watermark"] = state.watermark
                sql += f" ORDER BY {watermark}, {quote(entity.key[0])}"
                result = connection.execute(sa.text(sql), params)
                columns = list(result.keys())
                rows = [[as_text(v) for v in row] for row in result]
        except sa.exc.SQLAlchemyError as exc:
            if "database is locked" in str(exc):
                raise self.error(where, f"database is locked by another connection (waited "
                                        f"{self.timeout_seconds:g} s): try again when its writer is done") from None
            raise self.error(where, f"query failed: {type(exc).__name__}: {str(exc).splitlines()[0]}") from None
        finally:
            engine.dispose()
        if not rows:
            return
        frame = pd.DataFrame(rows, columns=columns, dtype=object)
        keys = list(range(1, len(frame) + 1))  # position in the result, so a duplicated key keeps its own row
        new_watermark = max(v for v in frame[entity.watermark_field] if v is not None)
        yield Batch(self.conform(frame, entity, where), where, keys, watermark=new_watermark)
