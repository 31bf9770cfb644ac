select
    id as record_id,
    orden as order_number,
    num_parte as local_item_code,
    linea as work_center_code,
    {{ number('"cant_plan"') }} as planned_qty,
    {{ number('"cant_buena"') }} as produced_qty,
    {{ number('"cant_scrap"') }} as scrap_qty,
    unidad as unit_code,
    try_cast(inicio as timestamp)::date as start_date,
    try_cast(fin_plan as timestamp)::date as due_date,
    try_cast(fin_real as timestamp)::date as finished_date,
    estado as status_local,
    try_cast(actualizado as timestamp) as updated_at_local,
    {{ lineage() }}
from {{ source('plantdb', 'ordenes_trabajo') }}
