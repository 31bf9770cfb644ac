select
    cast(plant_code || ':' || transfer_number as varchar) as transfer_id,
    cast(plant_code as varchar) as from_plant_code,
    cast(to_plant_code as varchar) as to_plant_code,
    cast(item_id as varchar) as item_id,
    cast(ship_date as date) as ship_date,
    cast(planned_receipt_date as date) as planned_receipt_date,
    cast(receipt_date as date) as receipt_date,
    cast(qty * unit_factor as double) as qty,
    cast(receipt_date is null as boolean) as is_in_transit
from {{ ref('int_transfers_mapped') }}
where item_id is not null and unit_factor is not null
