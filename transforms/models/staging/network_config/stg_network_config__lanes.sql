select
    from_code,
    to_code,
    transit_days,
    cost_per_unit,
    capacity_per_day
from {{ source('network_config', 'lanes') }}
