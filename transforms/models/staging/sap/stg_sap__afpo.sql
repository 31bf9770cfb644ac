select
    AUFNR as order_number,
    MATNR as local_item_code,
    AMEIN as unit_code,
    {{ lineage() }}
from {{ source('sap', 'afpo') }}
