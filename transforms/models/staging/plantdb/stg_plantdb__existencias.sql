select
    id as record_id,
    {{ iso_date('"fecha"') }} as snapshot_date,
    num_parte as local_item_code,
    {{ number('"cant_libre"') }} as on_hand_qty,
    {{ number('"cant_inspeccion"') }} as in_inspection_qty,
    {{ number('"cant_bloqueada"') }} as blocked_qty,
    unidad as unit_code,
    try_cast(actualizado as timestamp) as updated_at_local,
    {{ lineage() }}
from {{ source('plantdb', 'existencias') }}
