with network as (
    select
        date_day,
        sum(inventory_value_eur) as inventory_value_eur,
        sum(on_hand_qty) as on_hand_qty,
        sum(avg_daily_shipped_qty) as avg_daily_shipped_qty,
        sum(lines_due) as lines_due,
        sum(lines_otif) as lines_otif,
        sum(qty_due) as qty_due,
        sum(qty_filled) as qty_filled,
        sum(lines_shipped) as lines_shipped,
        sum(lead_time_days) as lead_time_days,
        sum(loaded_hours) as loaded_hours,
        sum(net_available_hours) as net_available_hours,
        sum(unplanned_downtime_hours) as unplanned_downtime_hours,
        sum(inspected_qty) as inspected_qty,
        sum(rejected_qty) as rejected_qty,
        sum(transfer_out_qty) as transfer_out_qty
    from {{ ref('int_kpi_components_daily') }}
    group by date_day
)

select
    cast(date_day as date) as date_day,
    {{ kpi_ratios() }}
from network
