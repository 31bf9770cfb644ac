-- Daily stock snapshots from every kind of source, in source codes and units; latest version per key.
{{ union_conformed('inventory', 'plant_code, local_item_code, snapshot_date') }}
