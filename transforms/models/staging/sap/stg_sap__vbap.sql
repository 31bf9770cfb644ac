select
    VBELN as sales_document,
    POSNR as item_number,
    MATNR as local_item_code,
    {{ sap_number('"KWMENG"') }} as ordered_qty,
    VRKME as unit_code,
    {{ sap_number('"NETWR"') }} as net_value,
    WAERK as currency,
    {{ lineage() }}
from {{ source('sap', 'vbap') }}
