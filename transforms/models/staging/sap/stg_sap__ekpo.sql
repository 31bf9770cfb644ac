select
    EBELN || '/' || EBELP as transfer_number,
    MATNR as local_item_code,
    WERKS as to_plant_code,
    {{ sap_number('"MENGE"') }} as qty,
    MEINS as unit_code,
    {{ sap_date('"BEDAT"') }} as ship_date,
    {{ sap_date('"EINDT"') }} as planned_receipt_date,
    {{ sap_date('"WEDAT"') }} as receipt_date,
    {{ lineage() }}
from {{ source('sap', 'ekpo') }}
