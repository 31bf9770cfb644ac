-- Odoo sale order lines, UTC times turned into the plant's calendar days, in the common order-line shape.
select
    c.plant_code,
    c.record_id as order_line_number,
    c.local_customer_code,
    c.local_item_code,
    c.requested_date,
    c.shipped_date,
    c.ordered_qty,
    c.shipped_qty,
    c.unit_code,
    c.currency,
    c.written_at_utc as version_at,
    c.load_id,
    c.source_file,
    c.source_row,
    'cloud_api' as source_system,
    timezone(tz.time_zone, timezone('UTC', c.ordered_at_utc))::date as order_date,
    timezone(tz.time_zone, timezone('UTC', c.promised_at_utc))::date as promised_date,
    c.unit_price * c.ordered_qty as net_value
from {{ ref('stg_cloud__sale_order_line') }} as c
inner join {{ ref('int_plant_time_zones') }} as tz using (plant_code)
