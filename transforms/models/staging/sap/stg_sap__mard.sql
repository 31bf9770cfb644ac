select
    MATNR as local_item_code,
    LGORT as storage_location,
    {{ sap_date('"STICHTAG"') }} as snapshot_date,
    {{ sap_number('"LABST"') }} as on_hand_qty,
    {{ sap_number('"INSME"') }} as in_inspection_qty,
    {{ sap_number('"SPEME"') }} as blocked_qty,
    {{ lineage() }}
from {{ source('sap', 'mard') }}
