{#-
    The incremental strategy of every incremental model, chosen in one place per engine.

    Every incremental model here replaces whole keys (a recomputed visitor, interaction or
    re-exported row replaces its previous version), so the strategy must delete the old rows of
    a key before inserting the new ones. DuckDB (and the default): delete+insert. Other engines
    add their branch as `<adapter>__incremental_strategy` (Spark: macros/spark/incremental_strategy.sql).

    Use: config(materialized='incremental', unique_key=..., incremental_strategy=incremental_strategy())
-#}
{% macro incremental_strategy() %}
    {{- return(adapter.dispatch('incremental_strategy')()) -}}
{% endmacro %}

{% macro default__incremental_strategy() %}
    {{- return('delete+insert') -}}
{% endmacro %}
