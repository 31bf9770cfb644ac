select
    event_id,
    machine as work_center_code,
    try_cast(ts as timestamp) as event_at_local,
    state,
    reason,
    {{ lineage() }}
from {{ source('events', 'machine_events') }}
