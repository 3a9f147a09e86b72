{#-
    Incremental models: a predicate that is true for rows loaded since the model last ran.

    The watermark is the latest load time already in {{ this }} (column watermark_column: the
    ingestion time of the newest source row the table was built from) minus
    var('tp_incremental_lookback_hours'), a safety margin for clocks and loads that overlap a
    run. Load time, not event time, so an event that arrives late with an old timestamp is still
    seen. A row without a load time, or a table that is still empty, counts as new.

    loaded_at_column: the candidate row's load time (raw `_loaded_at`, staging `loaded_at`, or
                      the `source_loaded_at` an upstream incremental model carries)
    watermark_column: the load-time column of {{ this }} (default source_loaded_at)

    built_relation:   the table holding the watermark (default {{ this }}; the change set
                      int_interactions_changed passes the previous build of fct_interactions)
    as_literal:       true: read the watermark now (a query at execution time) and compare with
                      it as a constant. For queries a macro runs itself (the stop checks): with
                      the watermark as a scalar subquery, DuckDB compares after joining, so a
                      check joining staging with a stored table joined every row (at 10M web
                      events 3-7 CPU s against 0.4). Not in model SQL, which must compile
                      without a database (unit tests, `dbt compile` of a fresh project).

    Call it only inside `{% if is_incremental() %}` (or with a built_relation that exists).
-#}
{% macro loaded_since_last_run(loaded_at_column, watermark_column='source_loaded_at', built_relation=none, as_literal=false) %}
    {%- set watermark_sql -%}
        select {{ dbt.dateadd('hour', -1 * var('tp_incremental_lookback_hours'), 'max(' ~ watermark_column ~ ')') }}
        from {{ built_relation if built_relation is not none else this }}
    {%- endset -%}
    {%- if as_literal and execute -%}
        {%- set watermark = run_query('select cast((' ~ watermark_sql ~ ') as ' ~ dbt.type_string() ~ ')').columns[0].values()[0] -%}
        {%- set watermark_value = "'" ~ watermark ~ "'" if watermark is not none else 'null' %}
    coalesce({{ loaded_at_column }} > cast({{ watermark_value }} as {{ dbt.type_timestamp() }}), true)
    {%- else %}
    coalesce(
        {{ loaded_at_column }} > (
            {{ watermark_sql }}
        ),
        true
    )
    {%- endif %}
{% endmacro %}
