select
    EBELN as purchasing_document,
    EBELP as item_number,
    MATNR as local_item_code,
    WERKS as receiving_plant_code,
    nullif(trim(RESWK), '') as supplying_plant_code,
    {{ sap_number('"MENGE"') }} as qty,
    MEINS as unit_code,
    {{ sap_number('"NETPR"') }} as net_price,
    {{ sap_date('"BEDAT"') }} as document_date,
    {{ sap_date('"EINDT"') }} as delivery_date,
    {{ sap_date('"WEDAT"') }} as goods_receipt_date,
    coalesce(LOEKZ = 'L', false) as is_deleted,
    {{ lineage() }}
from {{ source('sap', 'ekpo') }}
