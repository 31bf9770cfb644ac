"""Connector for a home-grown plant database read over SQL (SQLite by default; any SQLAlchemy URL).

Reads rows changed after the watermark column's last value; identifiers are quoted by the dialect and
the watermark is a bound parameter, never pasted into the SQL text.
"""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd
import sqlalchemy as sa

from orchestration.erp.base import Batch, Connector, SourceState
from orchestration.erp.catalog import SourceEntity
from orchestration.erp.files import as_text


class PlantDbConnector(Connector):
    source_system = "plant_db"

    def __init__(self, plant_code: str, url: str):
        super().__init__(plant_code)
        self.url = url

    def batches(self, entity: SourceEntity, state: SourceState) -> Iterator[Batch]:
        where = f"{sa.engine.make_url(self.url).render_as_string(hide_password=True)} table {entity.native}"
        engine = sa.create_engine(self.url)
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
            raise self.error(where, f"query failed: {type(exc).__name__}: {str(exc).splitlines()[0]}") from None
        finally:
            engine.dispose()
        if not rows:
            return
        frame = pd.DataFrame(rows, columns=columns, dtype=object)
        keys = list(range(1, len(frame) + 1))  # position in the result, so a duplicated key keeps its own row
        new_watermark = max(v for v in frame[entity.watermark_field] if v is not None)
        yield Batch(self.conform(frame, entity, where), where, keys, watermark=new_watermark)
