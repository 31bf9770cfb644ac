"""When each plant's ERP data was last extracted, and whether that is older than the plant allows.

The extract time of a file source (SAP files, generic format) is the date in the file's name
(`MARD_20261123.csv`): the export job names the file by the day it ran, the name survives copies and
transfers that reset a file's modification time, and it is what a person reads. A file dated D counts as
extracted at the end of D in the plant's time zone, so a file is never called stale before its day is
over. A file with no date in its name counts from the time it was loaded. For API and SQL sources the
extract is the pull itself: the finish time of the latest successful load (even one that found nothing
new), so a source that cannot be reached becomes stale. Machine and quality event feeds are not counted.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import duckdb
import pandas as pd

from orchestration.config import NetworkConfig
from orchestration.sources import SOURCE_KINDS

_DATE_IN_NAME = re.compile(r"_(\d{8})\.[A-Za-z]+$")


def file_extract_time(file_name: str, time_zone: str) -> datetime | None:
    """The end of the day a file's name carries, in UTC; None when the name carries no date."""
    found = _DATE_IN_NAME.search(file_name)
    if not found:
        return None
    try:
        day = datetime.strptime(found.group(1), "%Y%m%d").date()
    except ValueError:
        return None
    return datetime.combine(day + timedelta(days=1), time(), ZoneInfo(time_zone)).astimezone(UTC)


def plant_freshness(con: duckdb.DuckDBPyConnection, config: NetworkConfig, now: datetime) -> pd.DataFrame:
    """Per plant: latest extract time, its age in hours, the allowed age, and the hours over it (the frame
    the freshness suite runs on; positive hours_over_limit, or no extract at all, is stale)."""
    rows = []
    for plant in config.plants:
        kind = SOURCE_KINDS[plant.erp_kind]
        entities = [entity.entity for entity in kind.entities]
        marks = ", ".join("?" for _ in entities)
        latest = None
        if kind.file_based:
            files = con.execute(
                f"SELECT f.file_name, l.finished_at FROM raw._files f JOIN raw._loads l USING (load_id) "
                f"WHERE f.plant_code = ? AND f.entity IN ({marks})", [plant.code, *entities]).fetchall()
            stamps = [file_extract_time(name, plant.time_zone) or loaded for name, loaded in files]
            latest = max(stamps, default=None)
        else:
            latest = con.execute(f"SELECT max(finished_at) FROM raw._loads WHERE plant_code = ? AND entity IN ({marks})",
                                 [plant.code, *entities]).fetchone()[0]
        age = (now - latest).total_seconds() / 3600 if latest is not None else None
        rows.append({"plant_code": plant.code, "erp_kind": plant.erp_kind, "latest_extract_at": latest,
                     "age_hours": age, "max_extract_age_hours": float(plant.max_extract_age_hours),
                     "hours_over_limit": None if age is None else age - plant.max_extract_age_hours})
    return pd.DataFrame(rows)
