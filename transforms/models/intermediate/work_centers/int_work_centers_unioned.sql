-- Work centers and their daily hours from every kind of source; latest version per work center.
with unioned as (
    select * from {{ ref('int_sap__work_centers_conformed') }}
    union all by name
    select * from {{ ref('int_cloud__work_centers_conformed') }}
    union all by name
    select * from {{ ref('int_plantdb__work_centers_conformed') }}
    union all by name
    select * from {{ ref('int_generic__work_centers_conformed') }}
)

select * from unioned
{{ latest_version('plant_code, work_center_code') }}
