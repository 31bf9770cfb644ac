select
    KAPID as capacity_id,
    {{ number('"BEGZT"') }} as start_seconds,
    {{ number('"ENDZT"') }} as end_seconds,
    {{ number('"PAUSE"') }} as break_seconds,
    {{ number('"NGRAD"') }} as utilization_pct,
    {{ number('"AZNOR"') }} as capacity_count,
    {{ lineage() }}
from {{ source('sap', 'kako') }}
