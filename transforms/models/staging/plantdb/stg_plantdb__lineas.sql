select
    id as record_id,
    linea as work_center_code,
    descripcion as work_center_name,
    {{ number('"turnos"') }} * {{ number('"horas_turno"') }} as hours_per_day,
    try_cast(actualizado as timestamp) as updated_at_local,
    {{ lineage() }}
from {{ source('plantdb', 'lineas') }}
