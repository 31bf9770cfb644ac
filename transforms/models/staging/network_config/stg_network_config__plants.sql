select
    plant_code,
    plant_name,
    country,
    time_zone,
    currency,
    erp_kind,
    role
from {{ source('network_config', 'plants') }}
