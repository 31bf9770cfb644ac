select
    id as record_id,
    code as work_center_code,
    name as work_center_name,
    {{ number('"x_hours_per_day"') }} as hours_per_day,
    try_cast(write_date as timestamp) as written_at_utc,
    {{ lineage() }}
from {{ source('cloud', 'mrp_workcenter') }}
