{#-
    A select of one column `n` = 0 .. 10^digits - 1, from a cross join of ten-row selects
    (portable: no generate_series, no recursion).
-#}
{% macro journey_number_spine(digits=4) %}
    {%- set ns = namespace(terms=[]) -%}
    {%- for position in range(digits) -%}
        {%- set ns.terms = ns.terms + ['digit_' ~ position ~ '.d * ' ~ (10 ** position)] -%}
    {%- endfor %}
    select {{ ns.terms | join(' + ') }} as n
    from
    {%- for position in range(digits) %}
        (
            select 0 as d union all select 1 union all select 2 union all select 3
            union all select 4 union all select 5 union all select 6 union all select 7
            union all select 8 union all select 9
        ) as digit_{{ position }}{{ ',' if not loop.last }}
    {%- endfor %}
{% endmacro %}
