-- SAP MARD stock per storage location summed to one row per item, day and load, in the item's MARA base unit.
with material_units as (
    select
        plant_code,
        local_item_code,
        any_value(base_unit_code) as base_unit_code
    from {{ ref('stg_sap__mara') }}
    group by all
)

select
    m.plant_code,
    m.local_item_code,
    m.snapshot_date,
    'sap_files' as source_system,
    sum(m.on_hand_qty) as on_hand_qty,
    sum(m.in_inspection_qty) as in_inspection_qty,
    sum(m.blocked_qty) as blocked_qty,
    any_value(a.base_unit_code) as unit_code,
    max(m.loaded_at) as version_at,
    min(m.load_id) as load_id,
    min(m.source_file) as source_file,
    min(m.source_row) as source_row
from {{ ref('stg_sap__mard') }} as m
left join material_units as a using (plant_code, local_item_code)
group by m.plant_code, m.local_item_code, m.snapshot_date, m.load_id
