-- Production orders from every kind of source, in source codes and units; latest version per order.
{{ union_conformed('production_orders', 'plant_code, order_number') }}
