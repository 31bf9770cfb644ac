-- Inter-plant transfers, recorded by the shipping plant in its own system; latest version per transfer.
{{ union_conformed('transfers', 'plant_code, transfer_number') }}
