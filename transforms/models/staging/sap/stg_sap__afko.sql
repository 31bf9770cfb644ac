select
    AUFNR as order_number,
    {{ sap_date('"GSTRP"') }} as start_date,
    {{ sap_date('"GLTRP"') }} as due_date,
    {{ sap_date('"GETRI"') }} as finished_date,
    {{ sap_number('"GAMNG"') }} as planned_qty,
    {{ sap_number('"IGMNG"') }} as produced_qty,
    {{ sap_number('"IASMG"') }} as scrap_qty,
    GMEIN as unit_code,
    ARBPL as work_center_code,
    {{ sap_date('"FTRMI"') }} as released_date,
    {{ lineage() }}
from {{ source('sap', 'afko') }}
