-- Per work center and day: hours available on weekdays, downtime from machine events, load from orders.
with days as (
    select
        d.date_day,
        w.plant_code,
        w.work_center_id,
        case when d.is_weekday then w.hours_per_day else 0 end as available_hours
    from {{ ref('dim_date') }} as d
    cross join {{ ref('dim_work_center') }} as w
),

downtime as (
    select
        e.work_center_id,
        timezone(tz.time_zone, e.event_at_utc)::date as date_day,
        sum(e.duration_minutes) filter (where e.state = 'PLANNED_DOWN') / 60.0 as planned_downtime_hours,
        sum(e.duration_minutes) filter (where e.state = 'DOWN') / 60.0 as unplanned_downtime_hours
    from {{ ref('fct_machine_events') }} as e
    inner join {{ ref('int_plant_time_zones') }} as tz using (plant_code)
    group by all
),

order_days as (
    select
        o.production_order_id,
        o.plant_code,
        o.item_id,
        o.planned_qty,
        spans.day::date as date_day
    from {{ ref('fct_production_orders') }} as o,
        range(o.start_date, o.due_date + interval 1 day, interval 1 day) as spans (day)
    where isodow(spans.day) <= 5
),

order_working_days as (
    select
        production_order_id,
        count(*) as working_days
    from order_days
    group by all
),

load as (
    select
        r.work_center_id,
        od.date_day,
        sum(od.planned_qty * r.hours_per_unit / n.working_days) as loaded_hours
    from order_days as od
    inner join order_working_days as n using (production_order_id)
    inner join {{ ref('fct_routings') }} as r using (plant_code, item_id)
    group by all
)

select
    (days.date_day)::date as date_day,
    (days.plant_code)::varchar as plant_code,
    (days.work_center_id)::varchar as work_center_id,
    (days.available_hours)::double as available_hours,
    (round(coalesce(downtime.planned_downtime_hours, 0), 6))::double as planned_downtime_hours,
    (round(coalesce(downtime.unplanned_downtime_hours, 0), 6))::double as unplanned_downtime_hours,
    (round(coalesce(load.loaded_hours, 0), 6))::double as loaded_hours
from days
left join downtime using (work_center_id, date_day)
left join load using (work_center_id, date_day)
