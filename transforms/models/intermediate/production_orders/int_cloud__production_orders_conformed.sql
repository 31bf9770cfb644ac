-- Odoo manufacturing orders, UTC times turned into the plant's calendar days, states mapped to ours.
select
    c.plant_code,
    c.order_name as order_number,
    c.local_item_code,
    c.work_center_code,
    c.planned_qty,
    c.produced_qty,
    c.scrap_qty,
    c.unit_code,
    c.written_at_utc as version_at,
    c.load_id,
    c.source_file,
    c.source_row,
    'cloud_api' as source_system,
    timezone(tz.time_zone, timezone('UTC', c.started_at_utc))::date as start_date,
    timezone(tz.time_zone, timezone('UTC', c.due_at_utc))::date as due_date,
    timezone(tz.time_zone, timezone('UTC', c.finished_at_utc))::date as finished_date,
    case c.state
        when 'done' then 'done' when 'progress' then 'in_progress' when 'confirmed' then 'released' else 'planned'
    end as status
from {{ ref('stg_cloud__mrp_production') }} as c
inner join {{ ref('int_plant_time_zones') }} as tz using (plant_code)
