-- Inter-plant transfers, recorded by the shipping plant in its own system; latest version per transfer.
with tz as (select * from {{ ref('int_plant_time_zones') }}),

unioned as (
    select
        plant_code,
        transfer_number,
        local_item_code,
        to_plant_code,
        qty,
        unit_code,
        ship_date,
        planned_receipt_date,
        receipt_date,
        'sap_files' as source_system,
        loaded_at as version_at,
        load_id,
        source_file,
        source_row
    from {{ ref('stg_sap__ekpo') }}
    union all by name
    select
        c.plant_code,
        c.transfer_number,
        c.local_item_code,
        c.to_plant_code,
        c.qty,
        c.unit_code,
        timezone(tz.time_zone, timezone('UTC', c.scheduled_at_utc))::date as ship_date,
        timezone(tz.time_zone, timezone('UTC', c.deadline_at_utc))::date as planned_receipt_date,
        c.done_at_utc::date as receipt_date,
        'cloud_api' as source_system,
        c.written_at_utc as version_at,
        c.load_id,
        c.source_file,
        c.source_row
    from {{ ref('stg_cloud__stock_picking') }} as c
    inner join tz using (plant_code)
    union all by name
    select
        plant_code,
        transfer_number,
        local_item_code,
        to_plant_code,
        qty,
        unit_code,
        ship_date,
        planned_receipt_date,
        receipt_date,
        'plant_db' as source_system,
        updated_at_local as version_at,
        load_id,
        source_file,
        source_row
    from {{ ref('stg_plantdb__traspasos') }}
    union all by name
    select
        plant_code,
        transfer_number,
        local_item_code,
        to_plant_code,
        qty,
        unit_code,
        ship_date,
        planned_receipt_date,
        receipt_date,
        'generic' as source_system,
        loaded_at as version_at,
        load_id,
        source_file,
        source_row
    from {{ ref('stg_generic__transfers') }}
)

select * from unioned
{{ latest_version('plant_code, transfer_number') }}
