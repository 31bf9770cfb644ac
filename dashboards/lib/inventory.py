"""Stock positions against their target range, as the Inventory page shows them."""

from __future__ import annotations

import pandas as pd

from dashboards.lib import format as fmt
from dashboards.lib.warehouse import query


def positions(plants: list[str], families: list[str], item: str | None) -> pd.DataFrame:
    """The latest position per plant and item, filtered; an empty filter list means all."""
    return query("""SELECT p.*, i.item_name, i.product_family
                    FROM marts.inventory_position p JOIN marts.dim_item i USING (item_id)
                    WHERE (len(?::VARCHAR[]) = 0 OR p.plant_code IN (SELECT unnest(?::VARCHAR[])))
                      AND (len(?::VARCHAR[]) = 0 OR i.product_family IN (SELECT unnest(?::VARCHAR[])))
                      AND (?::VARCHAR IS NULL OR p.item_id = ?)
                    ORDER BY p.status, p.gap_qty, p.plant_code, p.item_id""",
                 [plants, plants, families, families, item, item])


def families() -> list[str]:
    return query("SELECT DISTINCT product_family FROM marts.dim_item ORDER BY 1").product_family.tolist()


def items(families: list[str]) -> list[str]:
    return query("""SELECT item_id FROM marts.dim_item
                    WHERE len(?::VARCHAR[]) = 0 OR product_family IN (SELECT unnest(?::VARCHAR[]))
                    ORDER BY 1""", [families, families]).item_id.tolist()


def days_of_supply(positions: pd.DataFrame) -> pd.Series:
    """Days of supply as read: "no demand" where nothing leaves the plant's stock (the mart leaves it null)."""
    return pd.Series([fmt.days(d) if a > 0 else "no demand" for d, a in
                      zip(positions.days_of_supply, positions.avg_daily_demand)], index=positions.index, dtype="str")
