{#-
    A model's key and required columns in one test (why one test per model and not dbt's unique
    and not_null per column: the description in _generic__tests.yml). A failing row names the
    column (for the key, its columns joined with ', '), the failure ('null' or 'duplicate key')
    and the rows concerned: the null rows of a required column, or every row whose key value
    occurs more than once. So the failure count is the number of columns with nulls, plus one
    when a key value repeats. A null in a key column is a value like any other (as in a GROUP
    BY): list the key columns in column_names to require them. The test's `where` config (and
    `recently_loaded`) applies to both checks, as for any test.
-#}
{% test key_and_required_columns(model, key, column_names) %}

with

null_counts as (
    select
        {%- for column in column_names %}
        sum(case when {{ column }} is null then 1 else 0 end) as null_rows_{{ loop.index }}{{ "," if not loop.last }}
        {%- endfor %}
    from {{ model }}
),

duplicated_keys as (
    select count(*) as key_rows
    from {{ model }}
    group by {{ key | join(", ") }}
    having count(*) > 1
),

duplicate_summary as (
    select
        count(*) as duplicated_key_values,
        sum(key_rows) as duplicate_rows
    from duplicated_keys
),

failures as (
    {%- for column in column_names %}
    select
        '{{ column }}' as column_name,
        'null' as failure,
        null_rows_{{ loop.index }} as failing_rows
    from null_counts
    where null_rows_{{ loop.index }} > 0

    union all
    {%- endfor %}

    select
        '{{ key | join(", ") }}' as column_name,
        'duplicate key' as failure,
        duplicate_rows as failing_rows
    from duplicate_summary
    where duplicated_key_values > 0
)

select * from failures

{% endtest %}
