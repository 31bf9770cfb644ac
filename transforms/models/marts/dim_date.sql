with bounds as (
    select
        min(snapshot_date) as first_day,
        greatest(max(snapshot_date), max(latest)) as last_day
    from {{ ref('int_inventory_unioned') }},
        (select max(requested_date) as latest from {{ ref('int_order_lines_unioned') }})
)

select
    cast(days.day as date) as date_day,
    cast(date_trunc('week', days.day) as date) as week_start,
    cast(date_trunc('month', days.day) as date) as month_start,
    cast(isodow(days.day) <= 5 as boolean) as is_weekday
from bounds, range(bounds.first_day, bounds.last_day + interval 1 day, interval 1 day) as days (day)
