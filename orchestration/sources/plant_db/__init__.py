"""A home-grown plant database read over SQL (SQLite by default; any SQLAlchemy URL), Spanish names."""

from __future__ import annotations

from orchestration.sources.kind import SourceKind, entity
from orchestration.sources.plant_db import writeback
from orchestration.sources.plant_db.connector import PlantDbConnector, database_url
from orchestration.sources.plant_db.demo import DEMO

ENTITIES = (
    entity("existencias", "existencias",
           "id fecha num_parte almacen cant_libre cant_inspeccion cant_bloqueada unidad actualizado", "id",
           item="num_parte", unit="unidad", watermark="actualizado",
           required="id fecha num_parte cant_libre unidad",
           non_negative="cant_libre cant_inspeccion cant_bloqueada", kinds={"identifier": "id"}, integer="id",
           iso_date="fecha", number="cant_libre cant_inspeccion cant_bloqueada", iso_datetime="actualizado"),
    entity("pedidos", "pedidos",
           "id pedido renglon cliente num_parte cantidad unidad precio moneda fecha_pedido fecha_requerida "
           "fecha_promesa fecha_embarque cant_embarcada actualizado",
           "id", item="num_parte", unit="unidad", watermark="actualizado",
           required="id pedido num_parte cantidad unidad fecha_pedido",
           non_negative="cantidad cant_embarcada precio",
           kinds={"identifier": "id renglon", "price": "precio"}, integer="id renglon",
           number="cantidad cant_embarcada precio",
           iso_date="fecha_pedido fecha_requerida fecha_promesa fecha_embarque", iso_datetime="actualizado"),
    entity("ordenes_trabajo", "ordenes_trabajo",
           "id orden num_parte linea cant_plan cant_buena cant_scrap unidad inicio fin_plan fin_real estado "
           "actualizado",
           "id", item="num_parte", unit="unidad", watermark="actualizado",
           required="id orden num_parte linea cant_plan unidad inicio",
           non_negative="cant_plan cant_buena cant_scrap", work_centers="linea", kinds={"identifier": "id"},
           integer="id", number="cant_plan cant_buena cant_scrap",
           iso_datetime="inicio fin_plan fin_real actualizado"),
    entity("lineas", "lineas", "id linea descripcion turnos horas_turno actualizado", "id",
           watermark="actualizado", lists_work_centers="linea", required="id linea horas_turno",
           non_negative="turnos", positive="horas_turno",
           kinds={"identifier": "id", "count": "turnos", "hours": "horas_turno"}, integer="id turnos",
           number="horas_turno", iso_datetime="actualizado"),
    entity("traspasos", "traspasos",
           "id folio num_parte planta_destino cantidad unidad fecha_salida fecha_llegada_plan fecha_llegada "
           "actualizado",
           "id", item="num_parte", unit="unidad", watermark="actualizado",
           required="id folio num_parte planta_destino cantidad unidad fecha_salida", non_negative="cantidad",
           plants="planta_destino", kinds={"identifier": "id"}, integer="id", number="cantidad",
           iso_date="fecha_salida fecha_llegada_plan fecha_llegada", iso_datetime="actualizado"),
    entity("compras", "compras",
           "id orden_compra renglon proveedor num_parte cantidad cant_recibida unidad precio moneda fecha_orden "
           "fecha_entrega fecha_recepcion estado actualizado",
           "id", item="num_parte", unit="unidad", watermark="actualizado",
           required="id orden_compra renglon proveedor num_parte cantidad unidad precio moneda fecha_orden "
                    "fecha_entrega estado",
           non_negative="cantidad cant_recibida precio", allowed={"estado": "ABIERTA RECIBIDA CANCELADA"},
           kinds={"identifier": "id renglon", "price": "precio"}, integer="id renglon",
           number="cantidad cant_recibida precio", iso_date="fecha_orden fecha_entrega fecha_recepcion",
           iso_datetime="actualizado"),
)

KIND = SourceKind(
    name="plant_db", raw_prefix="plantdb", entities=ENTITIES,
    settings={"url": {"type": "string", "description": "a SQLAlchemy URL; {sources} expands"}},
    required_settings=("url",),
    connect=lambda config, plant, simulated: PlantDbConnector(plant.code, database_url(config, plant)),
    write_back=writeback.connect, demo=DEMO, inventory_entity="existencias")
