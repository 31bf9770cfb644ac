select
    MATNR as local_item_code,
    WERKS as sap_plant,
    {{ sap_number('"EISBE"') }} as safety_stock_qty,
    BESKZ as procurement_type,
    {{ lineage() }}
from {{ source('sap', 'marc') }}
