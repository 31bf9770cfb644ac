select
    id as record_id,
    folio as transfer_number,
    num_parte as local_item_code,
    planta_destino as to_plant_code,
    {{ number('"cantidad"') }} as qty,
    unidad as unit_code,
    {{ iso_date('"fecha_salida"') }} as ship_date,
    {{ iso_date('"fecha_llegada_plan"') }} as planned_receipt_date,
    {{ iso_date('"fecha_llegada"') }} as receipt_date,
    try_cast(actualizado as timestamp) as updated_at_local,
    {{ lineage() }}
from {{ source('plantdb', 'traspasos') }}
