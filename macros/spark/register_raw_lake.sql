{#-
    The raw layer on Spark: one view per raw source over the lake's Parquet files
    (orchestration/lake.py writes <lake>/raw/<table>/<file_hash>.parquet, the manifest entry
    last). A view shows only rows of files whose manifest entry is there, so a file is all or
    nothing for Spark as it is in DuckDB. Run by on-run-start (dbt_project.yml); the lake folder
    is TW_LAKE_DIR (absolute; the CLI, Dagster and `make test-spark` export it).
    Only missing views are created (each creation reads the files' schema, seconds per view on
    local Spark); after moving the lake or changing the contract's columns, recreate them all:
    dbt run-operation register_raw_lake --args '{replace: true}'
    DuckDB reads its own raw tables: nothing to do there.
-#}
{% macro register_raw_lake(replace=false) %}
    {{- return(adapter.dispatch('register_raw_lake')(replace)) -}}
{% endmacro %}

{% macro default__register_raw_lake(replace) %}
    {{- return('select 1 as raw_layer_is_native') -}}
{% endmacro %}

{% macro spark__register_raw_lake(replace) %}
    {%- if execute -%}
        {%- set lake = env_var('TW_LAKE_DIR', 'warehouse/lake') ~ '/raw' -%}
        {%- set schemas = [] -%}
        {%- for source in graph.sources.values() if source.schema not in schemas -%}
            {%- do schemas.append(source.schema) -%}
            {%- do run_query('create database if not exists ' ~ source.schema) -%}
        {%- endfor -%}
        {%- set existing = {} -%}
        {%- for schema in schemas -%}
            {%- for row in run_query('show views in ' ~ schema) -%}
                {%- do existing.update({schema ~ '.' ~ row['viewName'] | lower: true}) -%}
            {%- endfor -%}
        {%- endfor -%}
        {%- for source in graph.sources.values()
            if replace or (source.schema ~ '.' ~ (source.identifier or source.name) | lower) not in existing -%}
            {%- set table = source.identifier or source.name -%}
            {%- set files = 'parquet.`' ~ lake ~ '/' ~ table ~ '`' -%}
            {%- set manifest = 'parquet.`' ~ lake ~ '/load_manifest`' -%}
            {%- if table == 'load_manifest' -%}
                {%- set body = 'select * from ' ~ files -%}
            {%- else -%}
                {%- set hash_column = 'file_hash' if table == 'quarantine' else '_file_hash' -%}
                {%- set body = 'select * from ' ~ files ~ ' where ' ~ hash_column
                    ~ ' in (select file_hash from ' ~ manifest ~ ')' -%}
            {%- endif -%}
            {%- do run_query('create or replace view ' ~ source.schema ~ '.' ~ table ~ ' as ' ~ body) -%}
        {%- endfor -%}
    {%- endif -%}
    {{- return('select 1 as raw_layer_registered') -}}
{% endmacro %}
