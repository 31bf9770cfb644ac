select
    id as record_id,
    {{ odoo_name('"order_id"') }} as order_name,
    {{ odoo_name('"order_partner_id"') }} as local_customer_code,
    default_code as local_item_code,
    {{ number('"product_uom_qty"') }} as ordered_qty,
    {{ number('"qty_delivered"') }} as shipped_qty,
    {{ odoo_name('"product_uom"') }} as unit_code,
    {{ number('"price_unit"') }} as unit_price,
    {{ odoo_name('"currency_id"') }} as currency,
    try_cast(date_order as timestamp) as ordered_at_utc,
    {{ iso_date('"x_requested_date"') }} as requested_date,
    try_cast(commitment_date as timestamp) as promised_at_utc,
    {{ iso_date('"x_delivered_date"') }} as shipped_date,
    try_cast(write_date as timestamp) as written_at_utc,
    {{ lineage() }}
from {{ source('cloud', 'sale_order_line') }}
