-- Daily stock snapshots from every kind of source, in source codes and units; latest version per key.
with material_units as (
    select
        plant_code,
        local_item_code,
        any_value(base_unit_code) as base_unit_code
    from {{ ref('stg_sap__mara') }}
    group by all
),

sap as (
    select
        m.plant_code,
        m.local_item_code,
        m.snapshot_date,
        sum(m.on_hand_qty) as on_hand_qty,
        sum(m.in_inspection_qty) as in_inspection_qty,
        sum(m.blocked_qty) as blocked_qty,
        any_value(a.base_unit_code) as unit_code,
        'sap_files' as source_system,
        max(m.loaded_at) as version_at,
        min(m.load_id) as load_id,
        min(m.source_file) as source_file,
        min(m.source_row) as source_row
    from {{ ref('stg_sap__mard') }} as m
    left join material_units as a using (plant_code, local_item_code)
    group by m.plant_code, m.local_item_code, m.snapshot_date, m.load_id
),

cloud_latest as (
    select * from {{ ref('stg_cloud__stock_quant') }}
    qualify row_number() over (partition by plant_code, record_id order by written_at_utc desc, loaded_at desc) = 1
),

cloud as (
    select
        plant_code,
        local_item_code,
        snapshot_date,
        coalesce(sum(qty) filter (where location = 'Stock'), 0) as on_hand_qty,
        coalesce(sum(qty) filter (where location = 'Quality'), 0) as in_inspection_qty,
        coalesce(sum(qty) filter (where location = 'Blocked'), 0) as blocked_qty,
        any_value(unit_code) as unit_code,
        'cloud_api' as source_system,
        max(written_at_utc) as version_at,
        min(load_id) as load_id,
        min(source_file) as source_file,
        min(source_row) as source_row
    from cloud_latest
    group by plant_code, local_item_code, snapshot_date
),

plantdb as (
    select
        plant_code,
        local_item_code,
        snapshot_date,
        on_hand_qty,
        in_inspection_qty,
        blocked_qty,
        unit_code,
        'plant_db' as source_system,
        updated_at_local as version_at,
        load_id,
        source_file,
        source_row
    from {{ ref('stg_plantdb__existencias') }}
),

generic as (
    select
        plant_code,
        local_item_code,
        snapshot_date,
        on_hand_qty,
        in_inspection_qty,
        blocked_qty,
        unit_code,
        'generic' as source_system,
        loaded_at as version_at,
        load_id,
        source_file,
        source_row
    from {{ ref('stg_generic__inventory') }}
),

unioned as (
    select * from sap
    union all by name
    select * from cloud
    union all by name
    select * from plantdb
    union all by name
    select * from generic
)

select * from unioned
{{ latest_version('plant_code, local_item_code, snapshot_date') }}
