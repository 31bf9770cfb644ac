"""The write-back asset: the current plan's released orders into each plant's ERP, once."""

import dagster as dg

from orchestration.defs.planning.assets import DECISIONS_KEY, PLAN_KEY
from orchestration.defs.resources import PlantSources
from orchestration.raw import connect
from orchestration.write_back import write_back

WRITE_BACK_KEY = dg.AssetKey(["plans", "write_back"])


@dg.asset(key=WRITE_BACK_KEY, deps=[PLAN_KEY, DECISIONS_KEY], group_name="planning", kinds={"duckdb"},
          description="The current plan's released orders (production, transfers, purchases inside the release "
                      "horizon) written into each plant's ERP in its own form; orders already written are not "
                      "written again (ledger: plans.writebacks).")
def write_back_orders(context: dg.AssetExecutionContext, sources: PlantSources) -> dg.MaterializeResult:
    con = connect(sources.warehouse)
    try:
        result = write_back(con, sources.network(), sources.simulated_urls)
    finally:
        con.close()
    context.log.info(f"written back: {result.summary()}")
    if result.failures:
        raise dg.Failure(description=f"write-back failed for {len(result.failures)} plant(s): "
                                     + "; ".join(result.failures),
                         metadata={"summary": result.summary()})
    return dg.MaterializeResult(metadata={"plan_id": result.plan_id, "released_orders": result.released,
                                          "orders_written": sum(result.written.values()),
                                          "plants": dg.MetadataValue.json(result.written),
                                          "summary": result.summary()})
