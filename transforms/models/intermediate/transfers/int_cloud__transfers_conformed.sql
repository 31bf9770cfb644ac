-- Odoo pickings to other plants, UTC times turned into the shipping plant's calendar days.
select
    c.plant_code,
    c.transfer_number,
    c.local_item_code,
    c.to_plant_code,
    c.qty,
    c.unit_code,
    c.written_at_utc as version_at,
    c.load_id,
    c.source_file,
    c.source_row,
    'cloud_api' as source_system,
    c.done_at_utc::date as receipt_date,
    timezone(tz.time_zone, timezone('UTC', c.scheduled_at_utc))::date as ship_date,
    timezone(tz.time_zone, timezone('UTC', c.deadline_at_utc))::date as planned_receipt_date
from {{ ref('stg_cloud__stock_picking') }} as c
inner join {{ ref('int_plant_time_zones') }} as tz using (plant_code)
