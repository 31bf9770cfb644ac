-- Daily stock snapshots from every kind of source, in source codes and units; latest version per key.
with unioned as (
    select * from {{ ref('int_sap__inventory_conformed') }}
    union all by name
    select * from {{ ref('int_cloud__inventory_conformed') }}
    union all by name
    select * from {{ ref('int_plantdb__inventory_conformed') }}
    union all by name
    select * from {{ ref('int_generic__inventory_conformed') }}
)

select * from unioned
{{ latest_version('plant_code, local_item_code, snapshot_date') }}
