select
    cast(date_day as date) as date_day,
    cast(plant_code as varchar) as plant_code,
    {{ kpi_ratios() }}
from {{ ref('int_kpi_components_daily') }}
