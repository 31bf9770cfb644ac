select
    order_id || '/' || line_id as order_line_number,
    customer_code as local_customer_code,
    item_code as local_item_code,
    {{ iso_date('order_date') }} as order_date,
    {{ iso_date('requested_date') }} as requested_date,
    {{ iso_date('promised_date') }} as promised_date,
    {{ iso_date('shipped_date') }} as shipped_date,
    {{ number('ordered_qty') }} as ordered_qty,
    {{ number('shipped_qty') }} as shipped_qty,
    unit as unit_code,
    {{ number('unit_price') }} as unit_price,
    currency,
    {{ lineage() }}
from {{ source('generic', 'order_lines') }}
