{#-
    One row per element of a delimited string column, with its 1-based position.
    Returns a complete select statement over `relation`:
        <carried_columns>, <value_alias>, <position_alias>
    Rows whose list column is null produce no rows. Elements are returned as they are
    (trimming and dropping empty elements is left to the caller).
-#}
{% macro split_to_rows(relation, carried_columns, list_column, delimiter, value_alias, position_alias) %}
    {{ return(adapter.dispatch('split_to_rows', 'touchpoint_warehouse')(
        relation, carried_columns, list_column, delimiter, value_alias, position_alias
    )) }}
{% endmacro %}

{% macro duckdb__split_to_rows(relation, carried_columns, list_column, delimiter, value_alias, position_alias) %}
    select
        {%- for column_name in carried_columns %}
        {{ column_name }},
        {%- endfor %}
        unnest(string_split({{ list_column }}, '{{ delimiter }}')) as {{ value_alias }},
        generate_subscripts(string_split({{ list_column }}, '{{ delimiter }}'), 1) as {{ position_alias }}
    from {{ relation }}
{% endmacro %}

{#- Spark's split takes a regular expression, hence the quoting of the delimiter. -#}
{% macro spark__split_to_rows(relation, carried_columns, list_column, delimiter, value_alias, position_alias) %}
    select
        {%- for column_name in carried_columns %}
        {{ column_name }},
        {%- endfor %}
        exploded.element_value as {{ value_alias }},
        exploded.element_position + 1 as {{ position_alias }}
    from {{ relation }}
    lateral view posexplode(split({{ list_column }}, '[{{ delimiter }}]')) exploded
        as element_position, element_value
{% endmacro %}

{% macro default__split_to_rows(relation, carried_columns, list_column, delimiter, value_alias, position_alias) %}
    {{ exceptions.raise_compiler_error(
        'split_to_rows has no implementation for adapter ' ~ adapter.type() ~ '; add one in macros/split_to_rows.sql'
    ) }}
{% endmacro %}
