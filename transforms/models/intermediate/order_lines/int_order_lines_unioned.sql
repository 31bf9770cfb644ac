-- Customer order lines from every kind of source, in source codes, units and currency; latest version.
with unioned as (
    select * from {{ ref('int_sap__order_lines_conformed') }}
    union all by name
    select * from {{ ref('int_cloud__order_lines_conformed') }}
    union all by name
    select * from {{ ref('int_plantdb__order_lines_conformed') }}
    union all by name
    select * from {{ ref('int_generic__order_lines_conformed') }}
)

select * from unioned
{{ latest_version('plant_code, order_line_number') }}
