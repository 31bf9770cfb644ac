select
    transfer_id as transfer_number,
    item_code as local_item_code,
    to_plant_code,
    {{ number('qty') }} as qty,
    unit as unit_code,
    {{ iso_date('ship_date') }} as ship_date,
    {{ iso_date('planned_receipt_date') }} as planned_receipt_date,
    {{ iso_date('receipt_date') }} as receipt_date,
    {{ lineage() }}
from {{ source('generic', 'transfers') }}
