-- SAP stock transport orders (EKPO) in the common transfer shape.
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
    loaded_at as version_at,
    load_id,
    source_file,
    source_row,
    'sap_files' as source_system
from {{ ref('stg_sap__ekpo') }}
