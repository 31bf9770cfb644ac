-- SAP order items (VBAP) with their header (VBAK), requested and promised dates (VBEP) and deliveries (LIPS).
with sap_schedule as (
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
)

select
    p.plant_code,
    h.local_customer_code,
    p.local_item_code,
    h.order_date,
    s.requested_date,
    s.promised_date,
    d.shipped_date,
    p.ordered_qty,
    p.unit_code,
    p.net_value,
    p.currency,
    p.loaded_at as version_at,
    p.load_id,
    p.source_file,
    p.source_row,
    'sap_files' as source_system,
    p.sales_document || '/' || p.item_number as order_line_number,
    coalesce(d.shipped_qty, 0) as shipped_qty
from {{ ref('stg_sap__vbap') }} as p
left join {{ ref('stg_sap__vbak') }} as h using (plant_code, sales_document)  -- no header: int_unmatched_rows
left join sap_schedule as s using (plant_code, sales_document, item_number)
left join sap_delivery as d using (plant_code, sales_document, item_number)
