select
    EBELN as purchasing_document,
    BSART as document_type,
    nullif(trim(LIFNR), '') as local_supplier_code,
    {{ sap_date('"BEDAT"') }} as document_date,
    WAERS as currency,
    {{ lineage() }}
from {{ source('sap', 'ekko') }}
