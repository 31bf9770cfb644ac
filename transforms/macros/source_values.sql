{# How source text becomes typed values: SAP decimal commas and YYYYMMDD dates, Odoo many2one pairs. #}

{% macro sap_number(column) -%}
    try_cast(replace(nullif(trim({{ column }}), ''), ',', '.') as double)
{%- endmacro %}

{% macro sap_date(column) -%}
    case when {{ column }} in ('', '00000000') then null else try_strptime({{ column }}, '%Y%m%d')::date end
{%- endmacro %}

{% macro number(column) -%}
    try_cast(nullif(trim({{ column }}), '') as double)
{%- endmacro %}

{% macro iso_date(column) -%}
    try_cast(nullif(nullif(trim({{ column }}), ''), 'false') as date)
{%- endmacro %}

{% macro odoo_name(column) -%}
    json_extract_string({{ column }}, '$[1]')
{%- endmacro %}

{% macro lineage() -%}
    _plant_code as plant_code,
    _load_id as load_id,
    _loaded_at as loaded_at,
    _source_file as source_file,
    _source_row as source_row
{%- endmacro %}
