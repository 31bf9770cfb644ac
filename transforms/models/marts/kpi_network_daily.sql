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
    cast(round(inventory_value_eur, 6) as double) as inventory_value_eur,
    cast(round(on_hand_qty / nullif(avg_daily_shipped_qty, 0), 6) as double) as days_of_supply,
    cast(round(lines_otif / nullif(lines_due, 0), 6) as double) as otif_rate,
    cast(round(qty_filled / nullif(qty_due, 0), 6) as double) as fill_rate,
    cast(round(lead_time_days / nullif(lines_shipped, 0), 6) as double) as avg_lead_time_days,
    cast(round(loaded_hours / nullif(net_available_hours, 0), 6) as double) as utilization,
    cast(round(unplanned_downtime_hours, 6) as double) as unplanned_downtime_hours,
    cast(round(rejected_qty / nullif(inspected_qty, 0), 6) as double) as reject_rate,
    cast(round(coalesce(transfer_out_qty, 0), 6) as double) as transfer_out_qty
from network
