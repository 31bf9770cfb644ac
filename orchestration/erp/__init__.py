"""Source connectors, one per kind of source, behind one interface (`Connector`)."""

from __future__ import annotations

from orchestration.config import NetworkConfig, Plant
from orchestration.erp.base import Connector
from orchestration.erp.catalog import CATALOG, SourceEntity
from orchestration.erp.cloud_api import CloudApiConnector
from orchestration.erp.files import GenericFileConnector, JsonLinesConnector, SapFileConnector
from orchestration.erp.plant_db import PlantDbConnector

REFERENCE_SITE = "NETWORK"


def erp_connector(config: NetworkConfig, plant: Plant, cloud_urls: dict[str, str]) -> Connector:
    """The connector for a plant's ERP; `cloud_urls` gives the address of simulated cloud ERPs."""
    erp = plant.erp
    kind = erp["kind"]
    if kind == "sap_files":
        return SapFileConnector(plant.code, config.resolve(erp["path"]), erp.get("encoding", "utf-8"))
    if kind == "generic":
        return GenericFileConnector(plant.code, config.resolve(erp["path"]), erp.get("encoding", "utf-8"))
    if kind == "plant_db":
        return PlantDbConnector(plant.code, erp["url"].replace("{sources}", str(config.sources_dir)))
    base_url = cloud_urls.get(plant.code, erp["base_url"])
    return CloudApiConnector(plant.code, base_url, erp["token_env"], erp.get("page_size", 500),
                             erp.get("timeout_seconds", 10.0), erp.get("max_retries", 4))


def events_connector(config: NetworkConfig, plant: Plant) -> Connector:
    return JsonLinesConnector(plant.code, config.resolve(plant.events_path or f"{plant.code}/events"))


def reference_connector(config: NetworkConfig) -> Connector:
    connector = GenericFileConnector(REFERENCE_SITE, config.resolve(config.reference_path))
    connector.source_system = "reference"
    return connector


def plant_entities(plant: Plant) -> list[SourceEntity]:
    """Everything extracted for a plant: its ERP's entities, then its machine and quality events."""
    return list(CATALOG[plant.erp_kind].values()) + list(CATALOG["events"].values())


__all__ = ["CATALOG", "Connector", "REFERENCE_SITE", "SourceEntity", "erp_connector", "events_connector",
           "plant_entities", "reference_connector"]
