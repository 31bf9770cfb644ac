select
    id as record_id,
    orden_compra || '/' || renglon as purchase_order_line_number,
    proveedor as local_supplier_code,
    num_parte as local_item_code,
    {{ number('"cantidad"') }} as ordered_qty,
    coalesce({{ number('"cant_recibida"') }}, 0) as received_qty,
    unidad as unit_code,
    {{ number('"precio"') }} as unit_price,
    moneda as currency,
    {{ iso_date('"fecha_orden"') }} as order_date,
    {{ iso_date('"fecha_entrega"') }} as due_date,
    {{ iso_date('"fecha_recepcion"') }} as receipt_date,
    estado as status_local,
    try_cast(actualizado as timestamp) as updated_at_local,
    {{ lineage() }}
from {{ source('plantdb', 'compras') }}
