-- Plant database order lines in the common order-line shape.
select
    plant_code,
    order_line_number,
    local_customer_code,
    local_item_code,
    order_date,
    requested_date,
    promised_date,
    shipped_date,
    ordered_qty,
    shipped_qty,
    unit_code,
    currency,
    updated_at_local as version_at,
    load_id,
    source_file,
    source_row,
    'plant_db' as source_system,
    unit_price * ordered_qty as net_value
from {{ ref('stg_plantdb__pedidos') }}
