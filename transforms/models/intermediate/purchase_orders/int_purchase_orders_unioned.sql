-- Purchase order lines from every plant's own system; latest version per line.
{{ union_conformed('purchase_orders', 'plant_code, purchase_order_line_number') }}
