-- Production orders from every kind of source, in source codes and units; latest version per order.
with unioned as (
    select * from {{ ref('int_sap__production_orders_conformed') }}
    union all by name
    select * from {{ ref('int_cloud__production_orders_conformed') }}
    union all by name
    select * from {{ ref('int_plantdb__production_orders_conformed') }}
    union all by name
    select * from {{ ref('int_generic__production_orders_conformed') }}
)

select * from unioned
{{ latest_version('plant_code, order_number') }}
