with stock as (
    select
        plant_code,
        item_id,
        snapshot_date,
        sum(on_hand_qty * unit_factor) as on_hand_qty,
        sum(in_inspection_qty * unit_factor) as in_inspection_qty,
        sum(blocked_qty * unit_factor) as blocked_qty
    from {{ ref('int_inventory_mapped') }}
    where item_id is not null and unit_factor is not null
    group by all
),

in_transit as (
    select
        t.to_plant_code as plant_code,
        t.item_id,
        cast(spans.day as date) as snapshot_date,
        sum(t.qty) as qty
    from {{ ref('fct_transfers') }} as t,
        range(t.ship_date, coalesce(t.receipt_date, t.planned_receipt_date), interval 1 day) as spans (day)
    group by all
)

select
    cast(s.snapshot_date as date) as snapshot_date,
    cast(s.plant_code as varchar) as plant_code,
    cast(s.item_id as varchar) as item_id,
    cast(s.on_hand_qty as double) as on_hand_qty,
    cast(s.in_inspection_qty as double) as in_inspection_qty,
    cast(s.blocked_qty as double) as blocked_qty,
    cast(coalesce(t.qty, 0) as double) as in_transit_qty,
    cast(i.standard_cost_eur as double) as unit_cost_eur,
    cast(s.on_hand_qty * i.standard_cost_eur as double) as inventory_value_eur
from stock as s
inner join {{ ref('dim_item') }} as i using (item_id)
left join in_transit as t using (plant_code, item_id, snapshot_date)
