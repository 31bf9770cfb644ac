select
    cast(plant_code as varchar) as plant_code,
    cast(plant_name as varchar) as plant_name,
    cast(country as varchar) as country,
    cast(time_zone as varchar) as time_zone,
    cast(currency as varchar) as currency,
    cast(erp_kind as varchar) as erp_kind,
    cast(role as varchar) as role
from {{ ref('stg_network_config__plants') }}
