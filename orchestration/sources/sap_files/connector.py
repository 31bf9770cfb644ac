"""Connector for SAP-style flat-file extracts."""

from __future__ import annotations

from orchestration.sources.files import DelimitedFileConnector
from orchestration.sources.kind import SourceEntity


class SapFileConnector(DelimitedFileConnector):
    """SAP-style extracts: <TABLE>_<YYYYMMDD>.csv, ';' separated, SAP field names, decimal commas."""

    source_system = "sap_files"
    delimiter = ";"
    layout = "<TABLE>_<YYYYMMDD>.csv"

    def patterns(self, entity: SourceEntity) -> list[str]:
        return [f"{entity.native}_*.csv"]
