select
    id as record_id,
    name as transfer_number,
    default_code as local_item_code,
    {{ number('"quantity"') }} as qty,
    {{ odoo_name('"product_uom_id"') }} as unit_code,
    split_part({{ odoo_name('"location_dest_id"') }}, '/', 1) as to_plant_code,
    try_cast(scheduled_date as timestamp) as scheduled_at_utc,
    try_cast(date_deadline as timestamp) as deadline_at_utc,
    try_cast(nullif(date_done, 'false') as timestamp) as done_at_utc,
    try_cast(write_date as timestamp) as written_at_utc,
    {{ lineage() }}
from {{ source('cloud', 'stock_picking') }}
