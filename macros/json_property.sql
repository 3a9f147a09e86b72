{#-
    One top-level property of a JSON text column as a string (null when missing, or when the
    text is not valid JSON). Cast the result with dbt.safe_cast where a number is wanted.
-#}
{% macro json_property(json_column, property_name) %}
    {{ return(adapter.dispatch('json_property', 'touchpoint_warehouse')(json_column, property_name)) }}
{% endmacro %}

{% macro default__json_property(json_column, property_name) %}
    json_extract_string({{ json_column }}, '$.{{ property_name }}')
{% endmacro %}

{#- try_cast: one malformed properties value must not fail the whole view. -#}
{% macro duckdb__json_property(json_column, property_name) %}
    json_extract_string(try_cast({{ json_column }} as json), '$.{{ property_name }}')
{% endmacro %}

{% macro spark__json_property(json_column, property_name) %}
    get_json_object({{ json_column }}, '$.{{ property_name }}')
{% endmacro %}
