"""The publish asset: after everything else, swap in a finished read-only copy for readers."""

import dagster as dg

from orchestration.defs.resources import PlantSources
from orchestration.publish import publish

PUBLISHED_KEY = dg.AssetKey(["published", "warehouse"])


def publish_asset(upstream: list[dg.AssetKey]) -> dg.AssetsDefinition:
    @dg.asset(key=PUBLISHED_KEY, deps=upstream, group_name="publish", kinds={"duckdb", "parquet"},
              description="Marts, plans and quality tables copied to published/warehouse.duckdb and "
                          "published/parquet/, swapped in atomically; what the dashboard and downstream read.")
    def published_warehouse(context: dg.AssetExecutionContext, sources: PlantSources) -> dg.MaterializeResult:
        result = publish(sources.warehouse, sources.warehouse.parent / "published")
        context.log.info(f"published {len(result.tables)} tables to {result.database}")
        return dg.MaterializeResult(metadata={
            "path": str(result.database), "tables": len(result.tables),
            "rows": dg.MetadataValue.json(result.tables)})

    return published_warehouse
