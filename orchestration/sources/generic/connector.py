"""Connector for the documented generic format (docs/generic-format.md)."""

from __future__ import annotations

from orchestration.sources.files import DelimitedFileConnector
from orchestration.sources.kind import SourceEntity


class GenericFileConnector(DelimitedFileConnector):
    """The documented generic format: <entity>/<entity>_<YYYYMMDD>.csv, ',' separated, ISO dates."""

    source_system = "generic"
    layout = "<entity>/<entity>_<YYYYMMDD>.csv or <entity>.csv"

    def patterns(self, entity: SourceEntity) -> list[str]:
        return [f"{entity.native}/{entity.native}_*.csv", f"{entity.native}.csv"]
