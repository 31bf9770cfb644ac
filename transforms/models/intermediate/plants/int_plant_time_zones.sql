-- Each plant's time zone, for turning plant-local times into UTC and UTC into the plant's calendar day.
select
    plant_code,
    time_zone
from {{ ref('stg_network_config__plants') }}
