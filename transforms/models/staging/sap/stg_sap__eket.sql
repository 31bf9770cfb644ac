select
    EBELN as purchasing_document,
    EBELP as item_number,
    ETENR as schedule_line,
    {{ sap_date('"EINDT"') }} as delivery_date,
    {{ sap_number('"MENGE"') }} as scheduled_qty,
    coalesce({{ sap_number('"WEMNG"') }}, 0) as received_qty,
    {{ lineage() }}
from {{ source('sap', 'eket') }}
