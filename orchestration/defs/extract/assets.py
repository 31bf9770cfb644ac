"""One extract asset per (plant, entity), built from the network config, grouped per plant.

Adding a plant to the config adds its assets; nothing here names a plant. Each load is validated by its
raw suite on the way in, so a plant's extracts depend on the reference data their codes are checked
against (item cross-reference, unit conversions, routings), and its other entities, machine and quality
events included, on its ERP's own work-center list: a machine is checked against that list, so events
never load before it (when the list fails, they wait with the rest and load on a later run).
"""


from collections.abc import Callable

import dagster as dg
import pandas as pd

from orchestration.config import NetworkConfig
from orchestration.core.notifications import alert_new_exceptions
from orchestration.defs.quality.raw_checks import raw_check_specs, raw_suite, rows_reconciled
from orchestration.defs.resources import PlantSources
from orchestration.raw import ReferenceMissing, connect, load_entity, record_load_failure
from orchestration.sources import (
    EVENTS,
    REFERENCE,
    REFERENCE_SITE,
    Connector,
    SourceEntity,
    erp_connector,
    events_connector,
    plant_entities,
    reference_connector,
)
from orchestration.sources.connector import SourceError

CODE_REFERENCES = ("item_xref", "unit_conversions", "routings")  # what plant rows are checked against


def raw_asset_key(site: str, entity: str) -> dg.AssetKey:
    return dg.AssetKey(["raw", site, entity])


def _extract_asset(site: str, entity: SourceEntity, group: str, description: str,
                   connector: Callable[[PlantSources], Connector], deps: list[dg.AssetKey] = (),
                   plants: tuple[str, ...] | None = None) -> dg.AssetsDefinition:
    key = raw_asset_key(site, entity.entity)

    @dg.asset(
        key=key,
        check_specs=raw_check_specs(key),
        deps=list(deps),
        group_name=group,
        kinds={"duckdb", entity.raw_prefix},
        description=description,
        tags={"plant": site, "source_kind": entity.kind},
        metadata={"raw_table": f"raw.{entity.raw_table}", "native_source": entity.native},
    )
    def extract(context: dg.AssetExecutionContext, sources: PlantSources) -> dg.MaterializeResult:
        try:
            result = load_entity(sources.warehouse, connector(sources), entity, plants)
        except (SourceError, ReferenceMissing) as error:
            record_load_failure(sources.warehouse, site, entity, error)
            alert_new_exceptions(sources.warehouse)
            raise
        alert_new_exceptions(sources.warehouse)
        context.log.info(f"{site} {entity.entity}: read {result.rows_read}, loaded {result.rows_loaded}, "
                         f"quarantined {result.rows_quarantined}, watermark {result.watermark_after}")
        con = connect(sources.warehouse)
        try:
            checks = [rows_reconciled(con, site, entity),
                      raw_suite(con, site, entity, result.load_id, result.rows_read)]
        finally:
            con.close()
        return dg.MaterializeResult(check_results=checks, metadata={
            "rows_read": result.rows_read, "rows_loaded": result.rows_loaded,
            "rows_quarantined": result.rows_quarantined, "quarantined_by_rule": dict(result.rules_failed),
            "watermark": result.watermark_after or "", "load_id": result.load_id,
            "files": list(result.files), "raw_table": f"raw.{result.raw_table}"})

    return extract


def extract_assets(config: NetworkConfig) -> list[dg.AssetsDefinition]:
    assets = []
    plants = tuple(p.code for p in config.plants)
    references = [raw_asset_key(REFERENCE_SITE, name) for name in CODE_REFERENCES]
    for plant in config.plants:
        group = f"plant_{plant.code}"
        entities = plant_entities(plant)
        masters = [raw_asset_key(plant.code, e.entity) for e in entities if e.lists_work_centers]
        for entity in entities:
            if entity.kind == EVENTS.name:
                def make(sources, plant=plant):
                    return events_connector(sources.network(), plant)
            else:
                def make(sources, plant=plant):
                    return erp_connector(sources.network(), plant, sources.simulated_urls)
            deps = references + ([] if entity.lists_work_centers else masters)
            assets.append(_extract_asset(
                plant.code, entity, group,
                f"{plant.name}: {entity.native} from its {entity.kind.replace('_', ' ')} source.", make, deps, plants))
    for entity in REFERENCE.entities:
        assets.append(_extract_asset(
            REFERENCE_SITE, entity, "network_reference",
            f"Network reference data: {entity.native} (generic format).",
            lambda sources: reference_connector(sources.network()), plants=plants))
    assets.append(network_config_asset())
    return assets


def network_config_asset() -> dg.AssetsDefinition:
    """The network config's plants, customers and lanes as reference tables (replaced each run)."""

    @dg.asset(key=raw_asset_key(REFERENCE_SITE, "network_config"), group_name="network_reference",
              kinds={"duckdb", "yaml"}, description="Plants, customers and lanes from the network config.")
    def network_config(sources: PlantSources) -> dg.MaterializeResult:
        config = sources.network()
        tables = {
            "plants": pd.DataFrame([(p.code, p.name, p.country, p.time_zone, p.currency, p.erp_kind, p.role)
                                    for p in config.plants],
                                   columns=["plant_code", "plant_name", "country", "time_zone", "currency",
                                            "erp_kind", "role"]),
            "customers": pd.DataFrame([(c["id"], c["name"], c["kind"], c["country"]) for c in config.customers],
                                      columns=["customer_id", "customer_name", "customer_kind", "country"]),
            "lanes": pd.DataFrame([(lane["from"], lane["to"], int(lane["transit_days"]), float(lane["cost_per_unit"]),
                                    lane.get("capacity_per_day")) for lane in config.lanes],
                                  columns=["from_code", "to_code", "transit_days", "cost_per_unit",
                                           "capacity_per_day"]).astype({"capacity_per_day": "float64"}),
        }
        con = connect(sources.warehouse)
        try:
            con.execute("CREATE SCHEMA IF NOT EXISTS raw")
            for name, frame in tables.items():
                con.register("config_rows", frame)
                con.execute(f"CREATE OR REPLACE TABLE raw.reference__{name} AS SELECT * FROM config_rows")
                con.unregister("config_rows")
        finally:
            con.close()
        return dg.MaterializeResult(metadata={name: len(frame) for name, frame in tables.items()})

    return network_config
