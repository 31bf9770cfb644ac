select
    id as record_id,
    default_code as local_item_code,
    split_part({{ odoo_name('"location_id"') }}, '/', 2) as location,
    {{ number('"quantity"') }} as qty,
    {{ odoo_name('"product_uom_id"') }} as unit_code,
    {{ iso_date('"inventory_date"') }} as snapshot_date,
    try_cast(write_date as timestamp) as written_at_utc,
    {{ lineage() }}
from {{ source('cloud', 'stock_quant') }}
