"""Released orders as rows of the plant database's inbound table `ordenes_entrantes` (created when
missing), in its Spanish-named style; a unique key on `clave` (plantsync's order key) means the table
holds each order once: a change or a cancel updates its row, `estado` says which."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
import sqlalchemy as sa

from orchestration.core import clock
from orchestration.sources.order_writer import OrderWriter
from orchestration.sources.plant_db.connector import database_url, sqlite_file

if TYPE_CHECKING:
    from orchestration.config import NetworkConfig, Plant

INBOUND = sa.Table(
    "ordenes_entrantes", sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("clave", sa.String(120), nullable=False, unique=True),
    sa.Column("tipo", sa.String(20), nullable=False),
    sa.Column("num_parte", sa.String(60), nullable=False),
    sa.Column("cantidad", sa.Float, nullable=False),
    sa.Column("unidad", sa.String(10), nullable=False),
    sa.Column("planta", sa.String(10), nullable=False),
    sa.Column("contraparte", sa.String(60)),
    sa.Column("fecha_inicio", sa.String(10), nullable=False),
    sa.Column("fecha_requerida", sa.String(10), nullable=False),
    sa.Column("plan", sa.String(80), nullable=False),
    sa.Column("estado", sa.String(20), nullable=False),
    sa.Column("actualizado", sa.String(19), nullable=False),
)
TIPO = {"production": "FABRICACION", "transfer": "TRASPASO", "purchase": "COMPRA"}
ESTADO = {"new": "NUEVA", "change": "CAMBIADA", "cancel": "CANCELADA"}
UNIDAD = {"PC": "PZA"}  # base unit -> the plant's unit code, where they differ


class PlantDbOrderWriter(OrderWriter):
    target = "plant_db"

    def __init__(self, plant_code: str, url: str):
        super().__init__(plant_code)
        self.url = url

    def write(self, orders: pd.DataFrame) -> list[str]:
        url = sa.engine.make_url(self.url)
        where = f"{url.render_as_string(hide_password=True)} table {INBOUND.name}"
        path = sqlite_file(url)
        if path is not None and not path.is_file():  # orders go into the plant's database, never a new file
            raise self.error(where, f"database file not found ({path})")
        now = f"{clock.now():%Y-%m-%d %H:%M:%S}"
        details = []
        engine = sa.create_engine(self.url)
        try:
            INBOUND.metadata.create_all(engine)
            with engine.begin() as db:
                held = dict(db.execute(sa.select(INBOUND.c.clave, INBOUND.c.cantidad)).all())
                for order in orders.itertuples():
                    row = {"tipo": TIPO[order.order_type], "num_parte": order.local_item_code, "cantidad": order.qty,
                           "unidad": UNIDAD.get(order.base_unit, order.base_unit), "planta": order.plant_code,
                           "contraparte": order.counterpart, "fecha_inicio": order.start_date.isoformat(),
                           "fecha_requerida": order.due_date.isoformat(), "plan": order.plan_id,
                           "estado": ESTADO[order.action], "actualizado": now}
                    if held.get(order.order_key) == order.qty:
                        details.append(f"already in {INBOUND.name}")
                    elif order.order_key in held:
                        db.execute(INBOUND.update().where(INBOUND.c.clave == order.order_key).values(**row))
                        details.append(f"{order.action}: {INBOUND.name} updated")
                    else:
                        db.execute(INBOUND.insert().values(clave=order.order_key, **row))
                        details.append(f"{order.action}: {INBOUND.name} inserted")
        except sa.exc.SQLAlchemyError as exc:
            raise self.error(where, f"{type(exc).__name__}: {str(exc).splitlines()[0]}") from None
        finally:
            engine.dispose()
        return details


def connect(config: NetworkConfig, plant: Plant, simulated: object) -> PlantDbOrderWriter:
    return PlantDbOrderWriter(plant.code, database_url(config, plant))
