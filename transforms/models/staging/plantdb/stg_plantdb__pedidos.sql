select
    id as record_id,
    pedido || '/' || renglon as order_line_number,
    cliente as local_customer_code,
    num_parte as local_item_code,
    {{ number('"cantidad"') }} as ordered_qty,
    unidad as unit_code,
    {{ number('"precio"') }} as unit_price,
    moneda as currency,
    {{ iso_date('"fecha_pedido"') }} as order_date,
    {{ iso_date('"fecha_requerida"') }} as requested_date,
    {{ iso_date('"fecha_promesa"') }} as promised_date,
    {{ iso_date('"fecha_embarque"') }} as shipped_date,
    {{ number('"cant_embarcada"') }} as shipped_qty,
    try_cast(actualizado as timestamp) as updated_at_local,
    {{ lineage() }}
from {{ source('plantdb', 'pedidos') }}
