-- SAP production orders: header (AFKO) with its item (AFPO), status from the quantities, finish and
-- release dates.
select
    k.plant_code,
    k.order_number,
    p.local_item_code,
    k.work_center_code,
    k.start_date,
    k.due_date,
    k.finished_date,
    k.planned_qty,
    k.produced_qty,
    k.scrap_qty,
    k.unit_code,
    k.loaded_at as version_at,
    k.load_id,
    k.source_file,
    k.source_row,
    'sap_files' as source_system,
    case
        when k.finished_date is not null then 'done' when k.produced_qty > 0 then 'in_progress'
        when k.released_date is not null then 'released' else 'planned'
    end as status
from {{ ref('stg_sap__afko') }} as k
inner join {{ ref('stg_sap__afpo') }} as p using (plant_code, order_number)
