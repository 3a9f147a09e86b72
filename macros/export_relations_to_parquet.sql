{#-
    Writes models as Parquet for comparing engines (`make test-spark`):
    dbt run-operation export_relations_to_parquet --args '{models: [fct_touchpoints], directory: /abs/dir}'
    Each model lands in <directory>/<model>/ (DuckDB: one file; Spark: part files).
-#}
{% macro export_relations_to_parquet(models, directory) %}
    {%- for name in models -%}
        {%- set node = graph.nodes.values() | selectattr('name', 'equalto', name) | selectattr('resource_type', 'equalto', 'model') | first -%}
        {%- set relation = adapter.get_relation(database=node.database, schema=node.schema, identifier=node.alias) -%}
        {%- if relation is none -%}
            {{- exceptions.raise_compiler_error('export_relations_to_parquet: ' ~ name ~ ' is not built') -}}
        {%- endif -%}
        {%- do run_query(adapter.dispatch('export_relation_to_parquet')(relation, directory ~ '/' ~ name)) -%}
        {{- log('exported ' ~ name, info=true) -}}
    {%- endfor -%}
{% endmacro %}

{% macro default__export_relation_to_parquet(relation, path) %}
    {{- return("copy (select * from " ~ relation ~ ") to '" ~ path ~ "' (format parquet, per_thread_output true, overwrite true)") -}}
{% endmacro %}

{% macro spark__export_relation_to_parquet(relation, path) %}
    {{- return("insert overwrite directory '" ~ path ~ "' using parquet select * from " ~ relation) -}}
{% endmacro %}
