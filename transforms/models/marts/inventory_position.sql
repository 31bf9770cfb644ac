-- Latest stock per plant and item against its target range: below safety stock is a shortage; above the
-- maximum (safety stock plus `cycle_stock_days` of the item's demand) is an excess. Demand counts what
-- leaves the plant and, for components, what the plant's own production of their parents consumes.
with latest as (
    select * from {{ ref('fct_inventory_daily') }}
    qualify snapshot_date = max(snapshot_date) over (partition by plant_code)
),

plant_as_of as (
    select
        plant_code,
        max(snapshot_date) as as_of
    from latest
    group by all
),

outflows as (
    -- What leaves the plant's stock: shipments to customers, transfers out, components consumed.
    select
        o.plant_code,
        o.item_id,
        o.shipped_qty as qty,
        o.shipped_date as moved_on,
        false as is_dependent
    from {{ ref('fct_order_lines') }} as o
    where o.shipped_date is not null
    union all
    select
        t.from_plant_code as plant_code,
        t.item_id,
        t.qty,
        t.ship_date as moved_on,
        false as is_dependent
    from {{ ref('fct_transfers') }} as t
    union all
    -- Dependent demand: making a parent (good and scrapped units) consumes its components at that plant.
    select
        po.plant_code,
        bom.component_item_id as item_id,
        (po.produced_qty + coalesce(po.scrap_qty, 0)) * bom.qty_per as qty,
        po.finished_date as moved_on,
        true as is_dependent
    from {{ ref('fct_production_orders') }} as po
    inner join {{ ref('fct_bom') }} as bom on po.item_id = bom.parent_item_id
    where po.finished_date is not null
),

usage as (
    -- Average daily demand over the 28 days up to the plant's latest snapshot.
    select
        outflows.plant_code,
        outflows.item_id,
        sum(outflows.qty) / 28.0 as avg_daily_demand,
        coalesce(sum(outflows.qty) filter (where outflows.is_dependent), 0) / 28.0 as dependent_daily_demand
    from outflows
    inner join plant_as_of using (plant_code)
    where
        outflows.moved_on > plant_as_of.as_of - interval 28 day
        and outflows.moved_on <= plant_as_of.as_of
    group by all
),

positions as (
    select
        latest.snapshot_date as as_of_date,
        latest.plant_code,
        latest.item_id,
        latest.on_hand_qty,
        latest.inventory_value_eur,
        coalesce(ss.safety_stock_qty, 0) as safety_stock_qty,
        coalesce(usage.avg_daily_demand, 0) as avg_daily_demand,
        coalesce(usage.dependent_daily_demand, 0) as dependent_daily_demand,
        coalesce(ss.safety_stock_qty, 0)
        + {{ var('cycle_stock_days') }} * coalesce(usage.avg_daily_demand, 0) as max_stock_qty
    from latest
    left join {{ ref('stg_reference__safety_stock') }} as ss using (plant_code, item_id)
    left join usage using (plant_code, item_id)
)

select
    cast(as_of_date as date) as as_of_date,
    cast(plant_code as varchar) as plant_code,
    cast(item_id as varchar) as item_id,
    cast(on_hand_qty as double) as on_hand_qty,
    cast(safety_stock_qty as double) as safety_stock_qty,
    cast(avg_daily_demand as double) as avg_daily_demand,
    cast(on_hand_qty / nullif(avg_daily_demand, 0) as double) as days_of_supply,
    cast(case
        when on_hand_qty < safety_stock_qty then 'shortage'
        when on_hand_qty > max_stock_qty then 'excess'
        else 'ok'
    end as varchar) as status,
    cast(case
        when on_hand_qty < safety_stock_qty then on_hand_qty - safety_stock_qty
        when on_hand_qty > max_stock_qty then on_hand_qty - max_stock_qty
        else 0
    end as double) as gap_qty,
    cast(inventory_value_eur as double) as inventory_value_eur,
    cast(dependent_daily_demand as double) as dependent_daily_demand,
    cast(max_stock_qty as double) as max_stock_qty
from positions
