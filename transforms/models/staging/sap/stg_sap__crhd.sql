select
    ARBPL as work_center_code,
    KTEXT as work_center_name,
    KAPID as capacity_id,
    {{ lineage() }}
from {{ source('sap', 'crhd') }}
