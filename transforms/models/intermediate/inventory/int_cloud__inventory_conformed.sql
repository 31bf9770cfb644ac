-- Odoo stock quants: each record's latest write, summed per item and day into stock, quality and blocked.
with cloud_latest as (
    select * from {{ ref('stg_cloud__stock_quant') }}
    qualify row_number() over (partition by plant_code, record_id order by written_at_utc desc, loaded_at desc) = 1
)

select
    plant_code,
    local_item_code,
    snapshot_date,
    'cloud_api' as source_system,
    coalesce(sum(qty) filter (where location = 'Stock'), 0) as on_hand_qty,
    coalesce(sum(qty) filter (where location = 'Quality'), 0) as in_inspection_qty,
    coalesce(sum(qty) filter (where location = 'Blocked'), 0) as blocked_qty,
    any_value(unit_code) as unit_code,
    max(written_at_utc) as version_at,
    min(load_id) as load_id,
    min(source_file) as source_file,
    min(source_row) as source_row
from cloud_latest
group by plant_code, local_item_code, snapshot_date
