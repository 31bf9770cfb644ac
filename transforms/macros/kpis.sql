{# The KPI ratios from their summed numerators and denominators, one definition for plant and network.
   Rounded (money to cents, the rest to 6 decimals) so that the order in which DuckDB adds up a sum
   never changes a published figure between runs. #}
{% macro kpi_ratios() -%}
    cast(round(inventory_value_eur, 2) as double) as inventory_value_eur,
    cast(round(on_hand_qty / nullif(avg_daily_shipped_qty, 0), 6) as double) as days_of_supply,
    cast(round(lines_otif / nullif(lines_due, 0), 6) as double) as otif_rate,
    cast(round(qty_filled / nullif(qty_due, 0), 6) as double) as fill_rate,
    cast(round(lead_time_days / nullif(lines_shipped, 0), 6) as double) as avg_lead_time_days,
    cast(round(loaded_hours / nullif(net_available_hours, 0), 6) as double) as utilization,
    cast(round(unplanned_downtime_hours, 6) as double) as unplanned_downtime_hours,
    cast(round(rejected_qty / nullif(inspected_qty, 0), 6) as double) as reject_rate,
    cast(round(coalesce(transfer_out_qty, 0), 6) as double) as transfer_out_qty
{%- endmacro %}

{# Raw is append-only: keep the latest version of each record (newest source version, then newest load). #}
{% macro latest_version(keys) -%}
    qualify row_number() over (partition by {{ keys }} order by version_at desc, load_id desc) = 1
{%- endmacro %}
