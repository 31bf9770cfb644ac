-- Numerators and denominators of every KPI per plant and day, so network figures are ratios of sums.
with inventory as (
    select
        plant_code,
        snapshot_date as date_day,
        sum(inventory_value_eur) as inventory_value_eur,
        sum(on_hand_qty) as on_hand_qty
    from {{ ref('fct_inventory_daily') }}
    group by all
),

shipped_daily as (
    select
        plant_code,
        shipped_date as date_day,
        sum(shipped_qty) as shipped_qty,
        sum(date_diff('day', order_date, shipped_date)) as lead_time_days,
        count(*) as lines_shipped
    from {{ ref('fct_order_lines') }}
    where shipped_date is not null
    group by all
),

due as (
    select
        plant_code,
        requested_date as date_day,
        count(*) as lines_due,
        count(*) filter (where is_on_time and is_in_full) as lines_otif,
        sum(ordered_qty) as qty_due,
        sum(least(shipped_qty, ordered_qty)) as qty_filled
    from {{ ref('fct_order_lines') }}
    where not is_open
    group by all
),

capacity as (
    select
        plant_code,
        date_day,
        sum(loaded_hours) as loaded_hours,
        sum(available_hours - planned_downtime_hours - unplanned_downtime_hours) as net_available_hours,
        sum(unplanned_downtime_hours) as unplanned_downtime_hours
    from {{ ref('fct_capacity_daily') }}
    group by all
),

quality as (
    select
        q.plant_code,
        timezone(tz.time_zone, q.inspected_at_utc)::date as date_day,
        sum(q.inspected_qty) as inspected_qty,
        sum(q.rejected_qty) as rejected_qty
    from {{ ref('fct_quality_inspections') }} as q
    inner join {{ ref('int_plant_time_zones') }} as tz using (plant_code)
    group by all
),

transfers as (
    select
        from_plant_code as plant_code,
        ship_date as date_day,
        sum(qty) as transfer_out_qty
    from {{ ref('fct_transfers') }}
    group by all
),

grid as (
    select
        p.plant_code,
        d.date_day
    from {{ ref('dim_plant') }} as p cross join {{ ref('dim_date') }} as d
),

trailing_demand as (
    select
        g.plant_code,
        g.date_day,
        sum(coalesce(s.shipped_qty, 0)) over (
            partition by g.plant_code order by g.date_day rows between 27 preceding and current row
        ) / 28.0 as avg_daily_shipped_qty
    from grid as g
    left join shipped_daily as s using (plant_code, date_day)
)

select
    g.plant_code,
    g.date_day,
    i.inventory_value_eur,
    i.on_hand_qty,
    t.avg_daily_shipped_qty,
    due.lines_due,
    due.lines_otif,
    due.qty_due,
    due.qty_filled,
    s.lines_shipped,
    s.lead_time_days,
    c.loaded_hours,
    c.net_available_hours,
    c.unplanned_downtime_hours,
    q.inspected_qty,
    q.rejected_qty,
    tr.transfer_out_qty
from grid as g
left join inventory as i using (plant_code, date_day)
left join trailing_demand as t using (plant_code, date_day)
left join due using (plant_code, date_day)
left join shipped_daily as s using (plant_code, date_day)
left join capacity as c using (plant_code, date_day)
left join quality as q using (plant_code, date_day)
left join transfers as tr using (plant_code, date_day)
