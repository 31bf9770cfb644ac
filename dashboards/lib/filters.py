"""The plant, product family and item filters the stock and plan pages share."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboards.lib import inventory
from dashboards.lib.plants import plants


@dataclass(frozen=True)
class Selection:
    """Empty lists and no item mean everything."""

    plants: list[str]
    families: list[str]
    item: str | None

    def rows(self, frame: pd.DataFrame, plant_columns: tuple[str, ...] = ("plant_code",)) -> pd.DataFrame:
        """Rows of the chosen plants (in any of `plant_columns`), product families and item."""
        if self.plants and plant_columns:
            frame = frame[frame[list(plant_columns)].isin(self.plants).any(axis=1)]
        if self.families and "product_family" in frame:
            frame = frame[frame.product_family.isin(self.families)]
        if self.item and "item_id" in frame:
            frame = frame[frame.item_id == self.item]
        return frame


def plant_family_item() -> Selection:
    """Three filters in a row; the item list follows the chosen families."""
    columns = st.columns(3)
    chosen_plants = columns[0].multiselect("Plants", plants().plant_code, placeholder="All plants")
    families = columns[1].multiselect("Product families", inventory.families(), placeholder="All families")
    item = columns[2].selectbox("Item", inventory.items(families), index=None, placeholder="All items")
    return Selection(chosen_plants, families, item)
