select
    inspection_id,
    try_cast(ts as timestamp) as inspected_at_local,
    item as local_item_code,
    machine as work_center_code,
    {{ number('inspected') }} as inspected_qty,
    {{ number('rejected') }} as rejected_qty,
    defect as defect_code,
    {{ lineage() }}
from {{ source('events', 'quality_inspections') }}
