{#- An aggregate: the median of `expression` (interpolated where the engine can). -#}
{% macro journey_median(expression) %}
    {{ return(adapter.dispatch('journey_median', 'touchpoint_warehouse')(expression)) }}
{% endmacro %}

{% macro default__journey_median(expression) %}
    percentile_cont(0.5) within group (order by {{ expression }})
{% endmacro %}

{% macro duckdb__journey_median(expression) %}
    quantile_cont({{ expression }}, 0.5)
{% endmacro %}

{% macro spark__journey_median(expression) %}
    percentile({{ expression }}, 0.5)
{% endmacro %}
