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

{#-
    json_property, parsed only when the property's quoted name occurs in the text: a JSON object
    names each key in double quotes, so a text without `"<name>"` cannot have it (a key written
    with unicode escapes is the one form this skips). Parsing JSON is the costly part of a
    staging model over millions of events that each carry one or two properties.
-#}
{% macro json_property_if_named(json_column, property_name) %}
    case
        when {{ json_column }} like '%"{{ property_name }}"%'
            then {{ json_property(json_column, property_name) }}
    end
{% endmacro %}
