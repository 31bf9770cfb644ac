select
    id as record_id,
    name as order_name,
    default_code as local_item_code,
    {{ number('"product_qty"') }} as planned_qty,
    {{ number('"qty_produced"') }} as produced_qty,
    {{ number('"x_qty_scrap"') }} as scrap_qty,
    {{ odoo_name('"product_uom_id"') }} as unit_code,
    {{ odoo_name('"workcenter_id"') }} as work_center_code,
    try_cast(date_start as timestamp) as started_at_utc,
    try_cast(date_deadline as timestamp) as due_at_utc,
    try_cast(nullif(date_finished, 'false') as timestamp) as finished_at_utc,
    state,
    try_cast(write_date as timestamp) as written_at_utc,
    {{ lineage() }}
from {{ source('cloud', 'mrp_production') }}
