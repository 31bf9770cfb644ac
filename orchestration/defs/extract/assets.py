"""One extract asset per (plant, entity), built from the network config, grouped per plant.

Adding a plant to the config adds its assets; nothing here names a plant.
"""


from collections.abc import Callable

import dagster as dg

from orchestration.config import NetworkConfig
from orchestration.defs.resources import PlantSources
from orchestration.erp import (REFERENCE_SITE, Connector, SourceEntity, erp_connector, events_connector,
                               plant_entities, reference_connector)
from orchestration.erp.catalog import CATALOG, RAW_PREFIX
from orchestration.raw import load_entity


def raw_asset_key(site: str, entity: str) -> dg.AssetKey:
    return dg.AssetKey(["raw", site, entity])


def _extract_asset(site: str, entity: SourceEntity, group: str, description: str,
                   connector: Callable[[PlantSources], Connector]) -> dg.AssetsDefinition:
    @dg.asset(
        key=raw_asset_key(site, entity.entity),
        group_name=group,
        kinds={"duckdb", RAW_PREFIX[entity.kind]},
        description=description,
        tags={"plant": site, "source_kind": entity.kind},
        metadata={"raw_table": f"raw.{entity.raw_table}", "native_source": entity.native},
    )
    def extract(context: dg.AssetExecutionContext, sources: PlantSources) -> dg.MaterializeResult:
        result = load_entity(sources.warehouse, connector(sources), entity)
        context.log.info(f"{site} {entity.entity}: read {result.rows_read}, loaded {result.rows_loaded}, "
                         f"watermark {result.watermark_after}")
        return dg.MaterializeResult(metadata={
            "rows_read": result.rows_read, "rows_loaded": result.rows_loaded,
            "watermark": result.watermark_after or "", "load_id": result.load_id,
            "files": list(result.files), "raw_table": f"raw.{result.raw_table}"})

    return extract


def extract_assets(config: NetworkConfig) -> list[dg.AssetsDefinition]:
    assets = []
    for plant in config.plants:
        group = f"plant_{plant.code}"
        for entity in plant_entities(plant):
            if entity.kind == "events":
                def make(sources, plant=plant):
                    return events_connector(sources.network(), plant)
            else:
                def make(sources, plant=plant):
                    return erp_connector(sources.network(), plant, sources.cloud_urls)
            assets.append(_extract_asset(
                plant.code, entity, group,
                f"{plant.name}: {entity.native} from its {entity.kind.replace('_', ' ')} source.", make))
    for entity in CATALOG["reference"].values():
        assets.append(_extract_asset(
            REFERENCE_SITE, entity, "network_reference",
            f"Network reference data: {entity.native} (generic format).",
            lambda sources: reference_connector(sources.network())))
    return assets
