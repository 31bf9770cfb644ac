-- Rows whose codes, units or rates the network reference does not know, or whose order header is missing:
-- kept here with one reason each, never silently dropped. An order line without its header has no order
-- date or customer, so only that is said of it: each check's last element says which rows it applies to.
{% set all_rows, with_header = 'true', 'order_date is not null' %}
{% set checks = [
    ('inventory', 'item_id', 'unknown item code', 'local_item_code', all_rows),
    ('inventory', 'unit_factor', 'unknown unit code', 'unit_code', all_rows),
    ('order_lines', 'order_date', 'order line without its order header', 'order_line_number', all_rows),
    ('order_lines', 'item_id', 'unknown item code', 'local_item_code', all_rows),
    ('order_lines', 'unit_factor', 'unknown unit code', 'unit_code', all_rows),
    ('order_lines', 'customer_id', 'unknown customer code', 'local_customer_code', with_header),
    ('order_lines', 'fx_rate', 'no exchange rate', 'currency', with_header),
    ('production_orders', 'item_id', 'unknown item code', 'local_item_code', all_rows),
    ('production_orders', 'unit_factor', 'unknown unit code', 'unit_code', all_rows),
    ('transfers', 'item_id', 'unknown item code', 'local_item_code', all_rows),
    ('transfers', 'unit_factor', 'unknown unit code', 'unit_code', all_rows),
    ('purchase_orders', 'order_date', 'purchase order line without its order header', 'purchase_order_line_number',
     all_rows),
    ('purchase_orders', 'item_id', 'unknown item code', 'local_item_code', all_rows),
    ('purchase_orders', 'unit_factor', 'unknown unit code', 'unit_code', all_rows),
    ('purchase_orders', 'supplier_id', 'unknown supplier code', 'local_supplier_code', with_header),
    ('purchase_orders', 'fx_rate', 'no exchange rate', 'currency', with_header),
] %}
{% for entity, column, reason, value_column, applies_to in checks %}
    select
        plant_code,
        source_system,
        '{{ entity }}' as entity,
        load_id,
        source_file,
        source_row,
        '{{ reason }}' as reason,
        '{{ value_column }}' as field,
        cast({{ value_column }} as varchar) as value
    from {{ ref('int_' ~ entity ~ '_mapped') }}
    where {{ column }} is null and {{ applies_to }}
    {% if not loop.last %}union all{% endif %}
{% endfor %}
