"""Stock positions against safety stock, and the analyst's decisions on rebalancing transfers."""

from __future__ import annotations

import pandas as pd

from dashboards.lib.warehouse import query
from orchestration.decisions import read_decisions


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


def with_decisions(transfers: pd.DataFrame, subject_kind: str = "rebalancing_transfer") -> pd.DataFrame:
    """Each transfer with the decision in force on it (latest per subject), if any."""
    decided = read_decisions()
    decided = decided[decided.subject_kind == subject_kind][["subject_id", "decision", "decided_by", "decided_at"]]
    return transfers.merge(decided.rename(columns={"subject_id": "transfer_id"}), on="transfer_id", how="left")
