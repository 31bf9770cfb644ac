-- SAP purchase order schedule lines (EKET) with their item (EKPO, no supplying plant: bought, not moved
-- between plants) and header (EKKO: vendor, currency); a deleted item (LOEKZ) is cancelled. A line whose
-- item or header is missing stays, without item code or order date: int_unmatched_rows names it.
select
    s.plant_code,
    h.local_supplier_code,
    i.local_item_code,
    h.document_date as order_date,
    s.delivery_date as due_date,
    s.scheduled_qty as ordered_qty,
    s.received_qty,
    i.unit_code,
    i.net_price as unit_price,
    h.currency,
    s.loaded_at as version_at,
    s.load_id,
    s.source_file,
    s.source_row,
    'sap_files' as source_system,
    s.purchasing_document || '/' || s.item_number || '/' || s.schedule_line as purchase_order_line_number,
    case
        when i.is_deleted then 'cancelled' when s.received_qty >= s.scheduled_qty then 'received' else 'open'
    end as status
from {{ ref('stg_sap__eket') }} as s
left join {{ ref('stg_sap__ekpo') }} as i using (plant_code, purchasing_document, item_number)
left join {{ ref('stg_sap__ekko') }} as h using (plant_code, purchasing_document)
where i.supplying_plant_code is null
