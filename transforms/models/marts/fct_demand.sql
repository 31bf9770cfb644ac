-- Weekly demand the planner serves: open order lines, and the forecast for weeks no open order covers.
with open_orders as (
    select
        customer_id,
        item_id,
        plant_code,
        cast(date_trunc('week', requested_date) as date) as week_start,
        sum(ordered_qty - shipped_qty) as qty
    from {{ ref('fct_order_lines') }}
    where is_open
    group by all
),

usual_plant as (
    select
        customer_id,
        item_id,
        mode(plant_code) as plant_code
    from {{ ref('fct_order_lines') }}
    group by all
),

forecast as (
    select
        f.customer_id,
        f.item_id,
        u.plant_code,
        f.week_start,
        f.qty
    from {{ ref('stg_reference__forecast') }} as f
    inner join usual_plant as u using (customer_id, item_id)
    anti join open_orders using (customer_id, item_id, week_start)
)

select
    cast(customer_id as varchar) as customer_id,
    cast(item_id as varchar) as item_id,
    cast(plant_code as varchar) as plant_code,
    cast(week_start as date) as week_start,
    cast(qty as double) as qty,
    cast('open_orders' as varchar) as source
from open_orders
union all
select
    customer_id,
    item_id,
    plant_code,
    week_start,
    qty,
    'forecast' as source
from forecast
