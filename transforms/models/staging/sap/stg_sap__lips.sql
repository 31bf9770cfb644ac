select
    VBELN as delivery,
    VGBEL as sales_document,
    VGPOS as item_number,
    MATNR as local_item_code,
    {{ sap_number('"LFIMG"') }} as delivered_qty,
    VRKME as unit_code,
    {{ sap_date('"WADAT_IST"') }} as goods_issue_date,
    {{ lineage() }}
from {{ source('sap', 'lips') }}
