select
    MATNR as local_item_code,
    MTART as material_type,
    MATKL as material_group,
    MEINS as base_unit_code,
    MAKTX as item_name,
    {{ lineage() }}
from {{ source('sap', 'mara') }}
