-- Production orders from every kind of source, in source codes and units; latest version per order.
with tz as (select * from {{ ref('int_plant_time_zones') }}),

sap as (
    select
        k.plant_code,
        k.order_number,
        p.local_item_code,
        k.work_center_code,
        k.start_date,
        k.due_date,
        k.finished_date,
        k.planned_qty,
        k.produced_qty,
        k.scrap_qty,
        k.unit_code,
        case
            when k.finished_date is not null then 'done' when k.produced_qty > 0 then 'in_progress'
            else 'planned'
        end as status,
        'sap_files' as source_system,
        k.loaded_at as version_at,
        k.load_id,
        k.source_file,
        k.source_row
    from {{ ref('stg_sap__afko') }} as k
    inner join {{ ref('stg_sap__afpo') }} as p using (plant_code, order_number)
),

cloud as (
    select
        c.plant_code,
        c.order_name as order_number,
        c.local_item_code,
        c.work_center_code,
        timezone(tz.time_zone, timezone('UTC', c.started_at_utc))::date as start_date,
        timezone(tz.time_zone, timezone('UTC', c.due_at_utc))::date as due_date,
        timezone(tz.time_zone, timezone('UTC', c.finished_at_utc))::date as finished_date,
        c.planned_qty,
        c.produced_qty,
        c.scrap_qty,
        c.unit_code,
        case c.state when 'done' then 'done' when 'progress' then 'in_progress' else 'planned' end as status,
        'cloud_api' as source_system,
        c.written_at_utc as version_at,
        c.load_id,
        c.source_file,
        c.source_row
    from {{ ref('stg_cloud__mrp_production') }} as c
    inner join tz using (plant_code)
),

plantdb as (
    select
        plant_code,
        order_number,
        local_item_code,
        work_center_code,
        start_date,
        due_date,
        finished_date,
        planned_qty,
        produced_qty,
        scrap_qty,
        unit_code,
        case status_local when 'CERRADA' then 'done' when 'EN PROCESO' then 'in_progress' else 'planned' end
            as status,
        'plant_db' as source_system,
        updated_at_local as version_at,
        load_id,
        source_file,
        source_row
    from {{ ref('stg_plantdb__ordenes_trabajo') }}
),

generic as (
    select
        plant_code,
        order_number,
        local_item_code,
        work_center_code,
        start_date,
        due_date,
        finished_date,
        planned_qty,
        produced_qty,
        scrap_qty,
        unit_code,
        status,
        'generic' as source_system,
        loaded_at as version_at,
        load_id,
        source_file,
        source_row
    from {{ ref('stg_generic__production_orders') }}
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
{{ latest_version('plant_code, order_number') }}
