-- Customer order lines from every kind of source, in source codes, units and currency; latest version.
with tz as (select * from {{ ref('int_plant_time_zones') }}),

sap_schedule as (
    select
        plant_code,
        sales_document,
        item_number,
        min(schedule_date) filter (where schedule_line = '0001') as requested_date,
        min(schedule_date) filter (where schedule_line = '0002') as promised_date
    from {{ ref('stg_sap__vbep') }}
    group by all
),

sap_delivery as (
    select
        plant_code,
        sales_document,
        item_number,
        max(goods_issue_date) as shipped_date,
        sum(delivered_qty) as shipped_qty
    from {{ ref('stg_sap__lips') }}
    group by all
),

sap as (
    select
        p.plant_code,
        p.sales_document || '/' || p.item_number as order_line_number,
        h.local_customer_code,
        p.local_item_code,
        h.order_date,
        s.requested_date,
        s.promised_date,
        d.shipped_date,
        p.ordered_qty,
        coalesce(d.shipped_qty, 0) as shipped_qty,
        p.unit_code,
        p.net_value,
        p.currency,
        'sap_files' as source_system,
        p.loaded_at as version_at,
        p.load_id,
        p.source_file,
        p.source_row
    from {{ ref('stg_sap__vbap') }} as p
    left join {{ ref('stg_sap__vbak') }} as h using (plant_code, sales_document)  -- no header: int_unmatched_rows
    left join sap_schedule as s using (plant_code, sales_document, item_number)
    left join sap_delivery as d using (plant_code, sales_document, item_number)
),

cloud as (
    select
        c.plant_code,
        c.record_id as order_line_number,
        c.local_customer_code,
        c.local_item_code,
        timezone(tz.time_zone, timezone('UTC', c.ordered_at_utc))::date as order_date,
        c.requested_date,
        timezone(tz.time_zone, timezone('UTC', c.promised_at_utc))::date as promised_date,
        c.shipped_date,
        c.ordered_qty,
        c.shipped_qty,
        c.unit_code,
        c.unit_price * c.ordered_qty as net_value,
        c.currency,
        'cloud_api' as source_system,
        c.written_at_utc as version_at,
        c.load_id,
        c.source_file,
        c.source_row
    from {{ ref('stg_cloud__sale_order_line') }} as c
    inner join tz using (plant_code)
),

plantdb as (
    select
        plant_code,
        order_line_number,
        local_customer_code,
        local_item_code,
        order_date,
        requested_date,
        promised_date,
        shipped_date,
        ordered_qty,
        shipped_qty,
        unit_code,
        unit_price * ordered_qty as net_value,
        currency,
        'plant_db' as source_system,
        updated_at_local as version_at,
        load_id,
        source_file,
        source_row
    from {{ ref('stg_plantdb__pedidos') }}
),

generic as (
    select
        plant_code,
        order_line_number,
        local_customer_code,
        local_item_code,
        order_date,
        requested_date,
        promised_date,
        shipped_date,
        ordered_qty,
        shipped_qty,
        unit_code,
        unit_price * ordered_qty as net_value,
        currency,
        'generic' as source_system,
        loaded_at as version_at,
        load_id,
        source_file,
        source_row
    from {{ ref('stg_generic__order_lines') }}
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
{{ latest_version('plant_code, order_line_number') }}
