-- Odoo purchase order lines, UTC times turned into the plant's calendar days, states mapped to ours.
select
    c.plant_code,
    c.local_supplier_code,
    c.local_item_code,
    c.ordered_qty,
    c.received_qty,
    c.unit_code,
    c.unit_price,
    c.currency,
    c.written_at_utc as version_at,
    c.load_id,
    c.source_file,
    c.source_row,
    'cloud_api' as source_system,
    c.record_id as purchase_order_line_number,
    timezone(tz.time_zone, timezone('UTC', c.ordered_at_utc))::date as order_date,
    timezone(tz.time_zone, timezone('UTC', c.planned_at_utc))::date as due_date,
    case c.state when 'done' then 'received' when 'cancel' then 'cancelled' else 'open' end as status
from {{ ref('stg_cloud__purchase_order_line') }} as c
inner join {{ ref('int_plant_time_zones') }} as tz using (plant_code)
