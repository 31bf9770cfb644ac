-- Generic-format stock rows in the common inventory shape.
select
    plant_code,
    local_item_code,
    snapshot_date,
    on_hand_qty,
    in_inspection_qty,
    blocked_qty,
    unit_code,
    loaded_at as version_at,
    load_id,
    source_file,
    source_row,
    'generic' as source_system
from {{ ref('stg_generic__inventory') }}
