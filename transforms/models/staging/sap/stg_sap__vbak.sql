select
    VBELN as sales_document,
    {{ sap_date('"ERDAT"') }} as order_date,
    KUNNR as local_customer_code,
    WAERK as currency,
    {{ lineage() }}
from {{ source('sap', 'vbak') }}
