select
    purchase_order_id || '/' || line_id as purchase_order_line_number,
    supplier_code as local_supplier_code,
    item_code as local_item_code,
    {{ iso_date('order_date') }} as order_date,
    {{ iso_date('due_date') }} as due_date,
    {{ iso_date('receipt_date') }} as receipt_date,
    {{ number('ordered_qty') }} as ordered_qty,
    coalesce({{ number('received_qty') }}, 0) as received_qty,
    unit as unit_code,
    {{ number('unit_price') }} as unit_price,
    currency,
    status,
    {{ lineage() }}
from {{ source('generic', 'purchase_orders') }}
