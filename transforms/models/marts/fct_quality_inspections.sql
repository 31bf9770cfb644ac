{{ config(materialized='incremental', unique_key='inspection_id', incremental_strategy='delete+insert',
          on_schema_change='fail') }}
select
    cast(q.inspection_id as varchar) as inspection_id,
    cast(q.plant_code as varchar) as plant_code,
    cast(x.item_id as varchar) as item_id,
    cast(q.plant_code || '-' || q.work_center_code as varchar) as work_center_id,
    cast(timezone(tz.time_zone, q.inspected_at_local) as timestamptz) as inspected_at_utc,
    cast(q.inspected_qty as double) as inspected_qty,
    cast(q.rejected_qty as double) as rejected_qty,
    cast(q.defect_code as varchar) as defect_code,
    cast(q.loaded_at as timestamptz) as loaded_at
from {{ ref('stg_events__quality_inspections') }} as q
inner join {{ ref('int_plant_time_zones') }} as tz using (plant_code)
left join {{ ref('stg_reference__item_xref') }} as x using (plant_code, local_item_code)
{% if is_incremental() %}
    where q.loaded_at > (select max(loaded_at) from {{ this }})
{% endif %}
qualify row_number() over (partition by q.plant_code, q.inspection_id order by q.loaded_at desc) = 1
