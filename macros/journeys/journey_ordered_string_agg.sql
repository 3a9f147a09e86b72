{#-
    An aggregate: the values of `expression` joined by `separator`, in the order of `order_by`
    (a single sortable expression). Used by the journey paths ('email > paid_search > direct').
    dbt's listagg does this on DuckDB, but on Spark it ignores the order (collect_list), so the
    Spark branch sorts itself.
-#}
{% macro journey_ordered_string_agg(expression, order_by, separator=' > ') %}
    {{ return(adapter.dispatch('journey_ordered_string_agg', 'touchpoint_warehouse')(expression, order_by, separator)) }}
{% endmacro %}

{% macro default__journey_ordered_string_agg(expression, order_by, separator) %}
    {{ dbt.listagg(expression, "'" ~ separator ~ "'", 'order by ' ~ order_by) }}
{% endmacro %}

{#- Spark has no ordered string_agg: sort (key, value) structs, keep the values, join. -#}
{% macro spark__journey_ordered_string_agg(expression, order_by, separator) %}
    concat_ws(
        '{{ separator }}',
        transform(
            array_sort(collect_list(struct({{ order_by }} as sort_key, {{ expression }} as item))),
            entry -> entry.item
        )
    )
{% endmacro %}
