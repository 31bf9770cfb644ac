select
    id as record_id,
    {{ odoo_name('"order_id"') }} as purchase_order_number,
    {{ odoo_name('"partner_id"') }} as local_supplier_code,
    default_code as local_item_code,
    {{ number('"product_qty"') }} as ordered_qty,
    coalesce({{ number('"qty_received"') }}, 0) as received_qty,
    {{ odoo_name('"product_uom"') }} as unit_code,
    {{ number('"price_unit"') }} as unit_price,
    {{ odoo_name('"currency_id"') }} as currency,
    try_cast(date_order as timestamp) as ordered_at_utc,
    try_cast(date_planned as timestamp) as planned_at_utc,
    state,
    try_cast(write_date as timestamp) as written_at_utc,
    {{ lineage() }}
from {{ source('cloud', 'purchase_order_line') }}
