-- Odoo work centers in the common work-center shape.
select
    plant_code,
    work_center_code,
    work_center_name,
    hours_per_day,
    written_at_utc as version_at,
    load_id
from {{ ref('stg_cloud__mrp_workcenter') }}
