{#-
    The combinations of `combination_of_columns` that occur on more than one row: a composite
    primary key. Same name and arguments as dbt-utils' test (quote_columns quotes each name).
-#}
{% test unique_combination_of_columns(model, combination_of_columns, quote_columns=false) %}
    {%- if quote_columns -%}
        {%- set columns = [] -%}
        {%- for column in combination_of_columns -%}
            {%- do columns.append(adapter.quote(column)) -%}
        {%- endfor -%}
    {%- else -%}
        {%- set columns = combination_of_columns -%}
    {%- endif -%}
    {%- set column_list = columns | join(', ') %}

with

duplicated as (
    select
        {{ column_list }},
        count(*) as row_count
    from {{ model }}
    group by {{ column_list }}
    having count(*) > 1
)

select * from duplicated

{% endtest %}
