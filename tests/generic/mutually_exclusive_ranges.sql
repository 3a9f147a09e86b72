{#-
    Ranges [lower_bound_column, upper_bound_column) that overlap another range of the same
    partition. Same name and arguments as dbt-utils' test:
    - partition_by: expression(s) that group the ranges (e.g. 'account_id'); none: one group.
    - gaps: 'allowed' (default), 'not_allowed' (each range ends where the next begins) or
      'required' (a gap between consecutive ranges).
    - zero_length_range_allowed: whether lower = upper is allowed (default false).
    Both bounds must be non-null; for an open-ended range pass an expression such as
    "coalesce(valid_to_at, cast('9999-12-31' as timestamp))".
    Returns the offending ranges with the reason.
-#}
{% test mutually_exclusive_ranges(model, lower_bound_column, upper_bound_column, partition_by=none, gaps='allowed', zero_length_range_allowed=false) %}
    {%- set next_operators = {'allowed': '<=', 'not_allowed': '=', 'required': '<'} -%}
    {%- if gaps not in next_operators -%}
        {{ exceptions.raise_compiler_error("mutually_exclusive_ranges on " ~ model ~ ": gaps must be one of allowed, not_allowed, required, not '" ~ gaps ~ "'") }}
    {%- endif -%}
    {%- set next_operator = next_operators[gaps] -%}
    {%- set length_operator = '<=' if zero_length_range_allowed else '<' -%}
    {%- set expected = {'allowed': 'at or after', 'not_allowed': 'exactly at', 'required': 'after'}[gaps] %}

with

ranges as (
    select
        {% if partition_by %}{{ partition_by }}{% else %}1{% endif %} as range_partition,
        {{ lower_bound_column }} as lower_bound,
        {{ upper_bound_column }} as upper_bound
    from {{ model }}
),

ordered as (
    select
        range_partition,
        lower_bound,
        upper_bound,
        lead(lower_bound) over (
            partition by range_partition
            order by lower_bound, upper_bound
        ) as next_lower_bound
    from ranges
),

checked as (
    select
        range_partition,
        lower_bound,
        upper_bound,
        next_lower_bound,
        case
            when lower_bound is null or upper_bound is null then 'null bound'
            when not (lower_bound {{ length_operator }} upper_bound) then 'the upper bound is {{ "before" if zero_length_range_allowed else "not after" }} the lower bound'
            when next_lower_bound is not null and not (upper_bound {{ next_operator }} next_lower_bound)
                then 'the next range does not start {{ expected }} this range''s end'
        end as problem
    from ordered
)

select * from checked
where problem is not null

{% endtest %}
