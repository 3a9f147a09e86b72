{#-
    Rows whose `column_name` lies outside [min_value, max_value] (bounds exclusive when
    inclusive=false). Either bound may be omitted; nulls pass (pair with not_null). Same name and
    arguments as dbt-utils' test, written here on plain SQL (the project has no packages).
-#}
{% test accepted_range(model, column_name, min_value=none, max_value=none, inclusive=true) %}
    {%- if min_value is none and max_value is none -%}
        {{ exceptions.raise_compiler_error("accepted_range on " ~ model ~ "." ~ column_name ~ ": give min_value, max_value or both") }}
    {%- endif -%}
    {%- set lower = '>=' if inclusive else '>' -%}
    {%- set upper = '<=' if inclusive else '<' %}

with

checked as (
    select {{ column_name }} as checked_value
    from {{ model }}
)

select checked_value
from checked
where
    {%- if min_value is not none %}
    not (checked_value {{ lower }} {{ min_value }})
    {%- endif %}
    {%- if min_value is not none and max_value is not none %}
    or
    {%- endif %}
    {%- if max_value is not none %}
    not (checked_value {{ upper }} {{ max_value }})
    {%- endif %}

{% endtest %}
