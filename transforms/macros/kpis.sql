{# The KPI ratios from their summed numerators and denominators, one definition for plant and network.
   The sums are floating point, and DuckDB adds them up in whatever order its threads finish: each is
   fixed to 9 decimals before dividing, and the result rounded (money to cents, the rest to 6 decimals),
   so the order never changes a published figure between runs. #}
{% macro kpi_ratios() -%}
    cast(round({{ fixed('inventory_value_eur') }}, 2) as double) as inventory_value_eur,
    cast(round({{ fixed('on_hand_qty') }} / nullif({{ fixed('avg_daily_shipped_qty') }}, 0), 6) as double)
        as days_of_supply,
    cast(round({{ fixed('lines_otif') }} / nullif({{ fixed('lines_due') }}, 0), 6) as double) as otif_rate,
    cast(round({{ fixed('qty_filled') }} / nullif({{ fixed('qty_due') }}, 0), 6) as double) as fill_rate,
    cast(round({{ fixed('lead_time_days') }} / nullif({{ fixed('lines_shipped') }}, 0), 6) as double)
        as avg_lead_time_days,
    cast(round({{ fixed('loaded_hours') }} / nullif({{ fixed('net_available_hours') }}, 0), 6) as double)
        as utilization,
    cast(round({{ fixed('unplanned_downtime_hours') }}, 6) as double) as unplanned_downtime_hours,
    cast(round({{ fixed('rejected_qty') }} / nullif({{ fixed('inspected_qty') }}, 0), 6) as double) as reject_rate,
    cast(round({{ fixed('coalesce(transfer_out_qty, 0)') }}, 6) as double) as transfer_out_qty
{%- endmacro %}

{% macro fixed(value) -%}
    cast({{ value }} as decimal(38, 9))
{%- endmacro %}
