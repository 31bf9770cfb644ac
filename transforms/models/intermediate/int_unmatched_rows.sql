-- Rows whose codes, units or rates the network reference does not know: kept here, never silently dropped.
{% set checks = [
    ('inventory', 'item_id', 'unknown item code', 'local_item_code'),
    ('inventory', 'unit_factor', 'unknown unit code', 'unit_code'),
    ('order_lines', 'item_id', 'unknown item code', 'local_item_code'),
    ('order_lines', 'unit_factor', 'unknown unit code', 'unit_code'),
    ('order_lines', 'customer_id', 'unknown customer code', 'local_customer_code'),
    ('order_lines', 'fx_rate', 'no exchange rate', 'currency'),
    ('production_orders', 'item_id', 'unknown item code', 'local_item_code'),
    ('production_orders', 'unit_factor', 'unknown unit code', 'unit_code'),
    ('transfers', 'item_id', 'unknown item code', 'local_item_code'),
    ('transfers', 'unit_factor', 'unknown unit code', 'unit_code'),
] %}
{% for entity, column, reason, value_column in checks %}
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
    where {{ column }} is null
    {% if not loop.last %}union all{% endif %}
{% endfor %}
