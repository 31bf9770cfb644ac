-- Plant database work orders, their Spanish states mapped to ours.
select
    plant_code,
    order_number,
    local_item_code,
    work_center_code,
    start_date,
    due_date,
    finished_date,
    planned_qty,
    produced_qty,
    scrap_qty,
    unit_code,
    updated_at_local as version_at,
    load_id,
    source_file,
    source_row,
    'plant_db' as source_system,
    case status_local
        when 'CERRADA' then 'done' when 'EN PROCESO' then 'in_progress' when 'LIBERADA' then 'released'
        else 'planned'
    end as status
from {{ ref('stg_plantdb__ordenes_trabajo') }}
