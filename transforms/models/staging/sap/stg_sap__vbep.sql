select
    VBELN as sales_document,
    POSNR as item_number,
    ETENR as schedule_line,
    {{ sap_date('"EDATU"') }} as schedule_date,
    {{ sap_number('"WMENG"') }} as requested_qty,
    {{ sap_number('"BMENG"') }} as confirmed_qty,
    {{ lineage() }}
from {{ source('sap', 'vbep') }}
