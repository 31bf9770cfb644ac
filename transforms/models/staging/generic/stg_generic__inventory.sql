select
    {{ iso_date('snapshot_date') }} as snapshot_date,
    item_code as local_item_code,
    {{ number('on_hand_qty') }} as on_hand_qty,
    {{ number('in_inspection_qty') }} as in_inspection_qty,
    {{ number('blocked_qty') }} as blocked_qty,
    unit as unit_code,
    {{ lineage() }}
from {{ source('generic', 'inventory') }}
