"""The one small interface every ERP kind's order writer implements: the write-back's side of a kind.

A writer takes one plant's released orders that still have to reach its ERP (each with its action:
`new`, `change` or `cancel`, a cancel carrying quantity 0) and writes them in the ERP's own form, with
the plant's own item codes. Every order carries its `order_key`, and each target keeps it, so the
target itself can refuse an order it already holds. The ledger of what was written is not the writer's
business: `orchestration/write_back.py` keeps it.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from orchestration.core import clock

if TYPE_CHECKING:
    from orchestration.config import NetworkConfig, Plant

# What a writer is given: the released order, the plant's own code and base unit of its item, and the action.
ORDER_COLUMNS = ("order_key", "plan_id", "plant_code", "order_type", "item_id", "local_item_code", "base_unit",
                 "qty", "start_date", "due_date", "counterpart", "action")


class WriteBackError(RuntimeError):
    """A plant's ERP that refused or could not take its orders, named by plant, target and place."""

    def __init__(self, plant: str, target: str, where: str, problem: str):
        super().__init__(f"{plant} {target}: {where}: {problem}")


class OrderWriter(ABC):
    """Writes one plant's orders into its ERP."""

    target: str  # the ERP kind, as the ledger names it

    def __init__(self, plant_code: str):
        self.plant_code = plant_code

    def error(self, where: str, problem: str) -> WriteBackError:
        return WriteBackError(self.plant_code, self.target, where, problem)

    @abstractmethod
    def write(self, orders: pd.DataFrame) -> list[str]:
        """Write `orders` (ORDER_COLUMNS, one plant's); return what became of each, in order."""


def outbound_folder(config: NetworkConfig, plant: Plant) -> Path:
    """Where a file-drop ERP picks up orders: the `erp` block's `outbound_path`, else `outbound/` beside the
    extract folder (file names carry the plant, so plants may share it)."""
    erp = plant.erp
    return config.resolve(erp.get("outbound_path") or f"{erp['path']}/../outbound")


class OutboundFileWriter(OrderWriter):
    """Orders as delimited files in an outbound folder, one file per kind of document and write-back
    (`<DOCUMENT>_<plant>_<YYYYMMDDHHMMSS>.csv`), so the ERP picks up each batch once. The folder is the
    target's own memory: an order whose latest line in the plant's files has the same quantity is not
    written again."""

    delimiter = ","

    def __init__(self, plant_code: str, folder: Path):
        super().__init__(plant_code)
        self.folder = folder

    @abstractmethod
    def documents(self, orders: pd.DataFrame) -> dict[str, pd.DataFrame]:
        """The orders in the ERP's form (every field as text), by document name (the file name's first part)."""

    @abstractmethod
    def lines(self, document: pd.DataFrame) -> pd.DataFrame:
        """A document's orders as `order_key` and `qty` (0 for a cancel), in line order."""

    def files(self) -> list[Path]:
        """The plant's files in the order they were written."""
        return sorted(self.folder.glob(f"*_{self.plant_code}_*.csv"), key=lambda p: p.name.rsplit("_", 1)[1])

    def native(self, path: Path) -> pd.DataFrame:
        return pd.read_csv(path, sep=self.delimiter, dtype=str, keep_default_na=False)

    def held(self) -> dict[str, float]:
        """Each order's quantity as the plant's files last say it."""
        lines = [self.lines(self.native(path)) for path in self.files()]
        return {} if not lines else dict(pd.concat(lines)[["order_key", "qty"]].itertuples(index=False))

    def write(self, orders: pd.DataFrame) -> list[str]:
        held = self.held()
        fresh = orders[[held.get(key) != qty for key, qty in zip(orders.order_key, orders.qty, strict=True)]]
        stamp = f"{clock.now():%Y%m%d%H%M%S}"
        self.folder.mkdir(parents=True, exist_ok=True)
        into = {}
        for document, frame in self.documents(fresh).items():
            path = self.folder / f"{document}_{self.plant_code}_{stamp}.csv"
            into.update(dict.fromkeys(self.lines(frame).order_key, path.name))
            if path.exists():  # a second write-back within the same second
                frame = pd.concat([self.native(path), frame])
            part = path.with_suffix(".part")
            frame.to_csv(part, sep=self.delimiter, index=False)
            part.replace(path)  # the ERP never picks up half a file
        return [f"{action}: {into[key]}" if key in into else "already in the outbound folder"
                for key, action in zip(orders.order_key, orders.action, strict=True)]
