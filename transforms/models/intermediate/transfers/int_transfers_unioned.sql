-- Inter-plant transfers, recorded by the shipping plant in its own system; latest version per transfer.
with unioned as (
    select * from {{ ref('int_sap__transfers_conformed') }}
    union all by name
    select * from {{ ref('int_cloud__transfers_conformed') }}
    union all by name
    select * from {{ ref('int_plantdb__transfers_conformed') }}
    union all by name
    select * from {{ ref('int_generic__transfers_conformed') }}
)

select * from unioned
{{ latest_version('plant_code, transfer_number') }}
