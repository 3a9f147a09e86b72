{#-
    delete+insert replaces the keys of its new batch, so a key that must LEAVE an incremental
    table (an interaction that is no longer a touchpoint) would stay: it has no row in the batch.
    A model whose run recomputes a known set of keys names the model and column listing them:

        config(..., meta={'replaced_keys': {'model': 'int_interactions_changed', 'column': 'interaction_id'}})

    and this project's delete+insert deletes those keys as well as the batch's before inserting
    the batch (DuckDB: duckdb__get_delete_insert_merge_sql below; Spark:
    macros/spark/incremental_delete_insert.sql). The model must ref the named model in its SQL
    (e.g. through in_change_set), so that dbt knows the dependency and builds it first.
-#}

{#- the select listing the keys to replace, or none when the model names no replaced_keys;
    unique_key: the model's, which must be one column then -#}
{% macro replaced_keys_sql(unique_key) %}
    {%- set replaced = config.get('meta', {}).get('replaced_keys') -%}
    {%- if not replaced -%}
        {%- do return(none) -%}
    {%- endif -%}
    {%- if unique_key is not string and unique_key | length != 1 -%}
        {{- exceptions.raise_compiler_error('meta replaced_keys needs one unique_key column (' ~ this ~ ')') -}}
    {%- endif -%}
    {%- do return('select ' ~ replaced['column'] ~ ' from ' ~ ref(replaced['model'])) -%}
{% endmacro %}

{#- dbt-duckdb's delete+insert, plus the replaced keys of a model that names them -#}
{% macro duckdb__get_delete_insert_merge_sql(target, source, unique_key, dest_columns, incremental_predicates) %}
    {%- set replaced = replaced_keys_sql(unique_key) -%}
    {%- if replaced is none -%}
        {{- return(dbt.duckdb__get_delete_insert_merge_sql(
            target, source, unique_key, dest_columns, incremental_predicates
        )) -}}
    {%- endif -%}
    {%- if incremental_predicates -%}
        {{- exceptions.raise_compiler_error('meta replaced_keys takes no incremental_predicates (' ~ target ~ ')') -}}
    {%- endif -%}
    {%- set key = unique_key if unique_key is string else unique_key[0] -%}
    {%- set columns = get_quoted_csv(dest_columns | map(attribute='name')) -%}
    delete from {{ target }}
    where {{ key }} in (select {{ key }} from {{ source }})
        or {{ key }} in ({{ replaced }});

    insert into {{ target }} ({{ columns }})
    (select {{ columns }} from {{ source }})
{% endmacro %}
