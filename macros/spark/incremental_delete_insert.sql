{#-
    `delete+insert` on Spark without Delta or Iceberg (which need jars from Maven).

    dbt-spark knows append / merge / insert_overwrite; `merge` needs Delta, Iceberg or Hudi, and
    a plain Parquet table cannot delete rows. Our incremental models replace whole keys, so on
    Spark the same result is reached by rewriting the table: the rows of keys NOT in the new
    batch, plus the new batch, are staged in a table, which then overwrites the model's table
    (Spark refuses to overwrite a table it is reading in the same statement, hence the stage).
    Cost: every incremental run rewrites the table's files (the computation stays incremental);
    on Delta / Databricks set `spark__incremental_strategy` (macros/spark/incremental_strategy.sql)
    to 'merge', which touches only the changed files.

    These two macros override dbt-spark's (same names; the project's macros come first) and
    hand every other strategy to dbt-spark unchanged.
-#}
{% macro dbt_spark_validate_get_incremental_strategy(raw_strategy, file_format) %}
    {%- if raw_strategy == 'delete+insert' -%}
        {{- return(raw_strategy) -}}
    {%- endif -%}
    {{- return(dbt_spark.dbt_spark_validate_get_incremental_strategy(raw_strategy, file_format)) -}}
{% endmacro %}

{% macro dbt_spark_get_incremental_sql(strategy, source, target, existing, unique_key, incremental_predicates) %}
    {%- if strategy != 'delete+insert' -%}
        {{- return(dbt_spark.dbt_spark_get_incremental_sql(strategy, source, target, existing, unique_key, incremental_predicates)) -}}
    {%- endif -%}
    {%- if not unique_key -%}
        {{- exceptions.raise_compiler_error('delete+insert on Spark needs a unique_key (' ~ target ~ ')') -}}
    {%- endif -%}
    {%- set keys = [unique_key] if unique_key is string else unique_key -%}
    {%- set columns = adapter.get_columns_in_relation(target) | map(attribute='quoted') | join(', ') -%}
    {%- set staged = target.incorporate(path={'identifier': target.identifier ~ '__dbt_rewrite'}) -%}
    {%- set key_match = [] -%}
    {%- for key in keys -%}
        {%- do key_match.append('kept.' ~ key ~ ' <=> new_keys.' ~ key) -%}
    {%- endfor -%}
    {%- do run_query('drop table if exists ' ~ staged) -%}
    {#- keys and rows leaving the table without a new row (macros/replaced_keys.sql) -#}
    {%- set replaced = replaced_keys_sql(unique_key) -%}
    {%- set replaced_union = '' if replaced is none else ' union ' ~ replaced -%}
    {%- set kept_keys = kept_keys_sql(unique_key) -%}
    {%- set kept_filters = [] -%}
    {%- if kept_keys is not none -%}
        {%- do kept_filters.append('kept.' ~ keys[0] ~ ' in (' ~ kept_keys ~ ')') -%}
    {%- endif -%}
    {%- set stale = stale_rows_sql('kept') -%}
    {%- if stale is not none -%}
        {%- do kept_filters.append('not (' ~ stale ~ ')') -%}
    {%- endif -%}
    {%- set kept_filter = '' if not kept_filters else ' where ' ~ kept_filters | join(' and ') -%}
    {%- do run_query(
        'create table ' ~ staged ~ ' using parquet as '
        ~ 'select ' ~ columns ~ ' from ' ~ target ~ ' as kept left anti join (select distinct '
        ~ keys | join(', ') ~ ' from ' ~ source ~ replaced_union ~ ') as new_keys on ' ~ key_match | join(' and ')
        ~ kept_filter
        ~ ' union all select ' ~ columns ~ ' from ' ~ source
    ) -%}
    {%- do run_query('insert overwrite table ' ~ target ~ ' select ' ~ columns ~ ' from ' ~ staged) -%}
    {%- do run_query('drop table if exists ' ~ staged) -%}
    {{- return('refresh table ' ~ target) -}}
{% endmacro %}
