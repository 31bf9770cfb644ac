select
    work_center_code,
    work_center_name,
    {{ number('hours_per_day') }} as hours_per_day,
    {{ lineage() }}
from {{ source('generic', 'work_centers') }}
