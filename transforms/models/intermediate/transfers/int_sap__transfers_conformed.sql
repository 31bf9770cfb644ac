-- SAP stock transport order items (EKPO items naming a supplying plant) in the common transfer shape.
select
    plant_code,
    local_item_code,
    receiving_plant_code as to_plant_code,
    qty,
    unit_code,
    document_date as ship_date,
    delivery_date as planned_receipt_date,
    goods_receipt_date as receipt_date,
    loaded_at as version_at,
    load_id,
    source_file,
    source_row,
    'sap_files' as source_system,
    purchasing_document || '/' || item_number as transfer_number
from {{ ref('stg_sap__ekpo') }}
where supplying_plant_code is not null
