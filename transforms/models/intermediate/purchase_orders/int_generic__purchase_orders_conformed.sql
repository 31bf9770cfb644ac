-- Generic-format purchase order lines in the common purchase order shape.
select
    plant_code,
    purchase_order_line_number,
    local_supplier_code,
    local_item_code,
    order_date,
    due_date,
    ordered_qty,
    received_qty,
    unit_code,
    unit_price,
    currency,
    status,
    loaded_at as version_at,
    load_id,
    source_file,
    source_row,
    'generic' as source_system
from {{ ref('stg_generic__purchase_orders') }}
