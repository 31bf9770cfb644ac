"""Projected inventory: the plan's stock at the end of each week per plant and item, against safety stock."""

from __future__ import annotations

import pandas as pd

from dashboards.lib.warehouse import query
from dashboards.lib.weeks import WEEKS, label


def inventory(plan_id: str) -> pd.DataFrame:
    """plan_inventory with each period's week and the item's family; shortfall is safety stock less stock."""
    return query(f"""WITH {WEEKS}
                     SELECT v.plant_code, v.item_id, i.item_name, i.product_family, v.period,
                            weeks.week_start, v.qty, v.safety_stock_qty, v.shortfall_qty
                     FROM plans.plan_inventory v JOIN weeks USING (period)
                     LEFT JOIN marts.dim_item i USING (item_id)
                     WHERE v.plan_id = ? ORDER BY v.plant_code, v.item_id, v.period""",
                 [plan_id, plan_id, plan_id])


def grid(stock: pd.DataFrame) -> pd.DataFrame:
    """One row per plant and item, those most weeks below safety stock first: safety stock, weeks below
    it, then the projected stock of each week."""
    table = stock.pivot_table(index=["plant_code", "item_id"], columns="week_start", values="qty",
                              aggfunc="sum")
    table.columns = [label(c) for c in table.columns]
    below = stock.assign(below=stock.shortfall_qty > 0)
    keys = below.groupby(["plant_code", "item_id"]).agg(safety_stock_qty=("safety_stock_qty", "max"),
                                                        weeks_below=("below", "sum"))
    return keys.join(table).reset_index().sort_values(["weeks_below", "plant_code", "item_id"],
                                                      ascending=[False, True, True], ignore_index=True)
