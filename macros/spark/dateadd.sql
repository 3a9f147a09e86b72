{#-
    dbt-spark's dateadd goes through unix seconds and drops the milliseconds of a timestamp
    (and turns day arithmetic into date arithmetic); timestampadd keeps every microsecond, like
    DuckDB's interval arithmetic.
-#}
{% macro spark__dateadd(datepart, interval, from_date_or_timestamp) %}
    timestampadd({{ datepart }}, cast({{ interval }} as bigint), cast({{ from_date_or_timestamp }} as timestamp))
{%- endmacro %}
