-- Customer order lines from every kind of source, in source codes, units and currency; latest version.
{{ union_conformed('order_lines', 'plant_code, order_line_number') }}
