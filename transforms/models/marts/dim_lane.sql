select
    cast(lanes.from_code || '->' || lanes.to_code as varchar) as lane_id,
    cast(lanes.from_code as varchar) as from_code,
    cast(lanes.to_code as varchar) as to_code,
    cast(case when plants.plant_code is null then 'delivery' else 'transfer' end as varchar) as lane_kind,
    cast(lanes.transit_days as integer) as transit_days,
    cast(lanes.cost_per_unit as double) as cost_per_unit_eur,
    cast(lanes.capacity_per_day as double) as capacity_per_day
from {{ ref('stg_network_config__lanes') }} as lanes
left join {{ ref('stg_network_config__plants') }} as plants on lanes.to_code = plants.plant_code
