{#-
    Every listed column of the model must be filled, checked in one scan (why one test per model
    and not dbt's not_null per column: the description in _generic__tests.yml). A failing row
    names a column and how many of its rows are null, so the failure count is the number of
    columns with nulls. The test's `where` config (and `recently_loaded`) applies as for any test.
-#}
{% test not_null_columns(model, column_names) %}

with

null_counts as (
    select
        {%- for column in column_names %}
        sum(case when {{ column }} is null then 1 else 0 end) as null_rows_{{ loop.index }}{{ "," if not loop.last }}
        {%- endfor %}
    from {{ model }}
),

columns_with_nulls as (
    {%- for column in column_names %}
    select
        '{{ column }}' as column_name,
        null_rows_{{ loop.index }} as null_rows
    from null_counts
    where null_rows_{{ loop.index }} > 0
    {{ "union all" if not loop.last }}
    {%- endfor %}
)

select * from columns_with_nulls

{% endtest %}
