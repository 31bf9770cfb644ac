{# A key of several columns: none of them null in any row, and no two rows share their values. #}
{% test unique_key(model, columns) %}
    select
        {{ columns | join(', ') }},
        count(*) as rows_with_key
    from {{ model }}
    group by all
    having count(*) > 1 or {% for column in columns %}{{ column }} is null{% if not loop.last %} or {% endif %}{% endfor %}
{% endtest %}
