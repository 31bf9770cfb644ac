-- From the first stock snapshot to the end of the last open order or forecast week.
with horizon_ends as (
    select max(requested_date) as last_day from {{ ref('int_order_lines_unioned') }}
    union all
    select max(week_start) + 6 as last_day from {{ ref('stg_reference__forecast') }}
),

bounds as (
    select
        (select min(snapshot_date) from {{ ref('int_inventory_unioned') }}) as first_day,
        max(last_day) as last_day
    from horizon_ends
)

select
    cast(days.day as date) as date_day,
    cast(date_trunc('week', days.day) as date) as week_start,
    cast(date_trunc('month', days.day) as date) as month_start,
    cast(isodow(days.day) <= 5 as boolean) as is_weekday
from bounds, range(bounds.first_day, bounds.last_day + interval 1 day, interval 1 day) as days (day)
