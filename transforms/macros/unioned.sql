{# One entity's conformed models, one per kind of source, as one relation: union all by name, then the
   latest version of each record across them (a record re-sent by a later load or system replaces the
   earlier one: newest source version, then newest load). #}
{% macro union_conformed(entity, keys) -%}
    with unioned as (
        {% for source in var('erp_sources') -%}
            select * from {{ ref('int_' ~ source ~ '__' ~ entity ~ '_conformed') }}
            {% if not loop.last %}union all by name{% endif %}
        {% endfor %}
    )

    select * from unioned
    qualify row_number() over (partition by {{ keys }} order by version_at desc, load_id desc) = 1
{%- endmacro %}
