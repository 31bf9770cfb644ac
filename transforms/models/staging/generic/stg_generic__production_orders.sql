select
    production_order_id as order_number,
    item_code as local_item_code,
    work_center_code,
    {{ iso_date('start_date') }} as start_date,
    {{ iso_date('due_date') }} as due_date,
    {{ iso_date('finished_date') }} as finished_date,
    {{ number('planned_qty') }} as planned_qty,
    {{ number('produced_qty') }} as produced_qty,
    {{ number('scrap_qty') }} as scrap_qty,
    unit as unit_code,
    status,
    {{ lineage() }}
from {{ source('generic', 'production_orders') }}
