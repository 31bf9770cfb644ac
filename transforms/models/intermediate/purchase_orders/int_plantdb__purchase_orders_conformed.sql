-- Plant database purchase order lines (compras), their Spanish states mapped to ours.
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
    updated_at_local as version_at,
    load_id,
    source_file,
    source_row,
    'plant_db' as source_system,
    case status_local when 'RECIBIDA' then 'received' when 'CANCELADA' then 'cancelled' else 'open' end as status
from {{ ref('stg_plantdb__compras') }}
