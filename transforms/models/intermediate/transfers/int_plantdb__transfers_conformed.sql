-- Plant database transfers (traspasos) in the common transfer shape.
select
    plant_code,
    transfer_number,
    local_item_code,
    to_plant_code,
    qty,
    unit_code,
    ship_date,
    planned_receipt_date,
    receipt_date,
    updated_at_local as version_at,
    load_id,
    source_file,
    source_row,
    'plant_db' as source_system
from {{ ref('stg_plantdb__traspasos') }}
