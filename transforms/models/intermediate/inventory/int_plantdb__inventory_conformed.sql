-- Plant database stock rows in the common inventory shape.
select
    plant_code,
    local_item_code,
    snapshot_date,
    on_hand_qty,
    in_inspection_qty,
    blocked_qty,
    unit_code,
    updated_at_local as version_at,
    load_id,
    source_file,
    source_row,
    'plant_db' as source_system
from {{ ref('stg_plantdb__existencias') }}
