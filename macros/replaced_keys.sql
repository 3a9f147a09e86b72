{#-
    delete+insert replaces the keys of its new batch, so a key that must LEAVE an incremental
    table (an interaction that is no longer a touchpoint) would stay: it has no row in the batch.
    A model whose run recomputes a known set of keys names the model and column listing them:

        config(..., meta={'replaced_keys': {'model': 'int_interactions_changed', 'column': 'interaction_id'}})

    and this project's delete+insert deletes those keys as well as the batch's before inserting
    the batch (DuckDB: duckdb__get_delete_insert_merge_sql below; Spark:
    macros/spark/incremental_delete_insert.sql). A model whose batch holds every key that stays
    names instead the model listing them, and every other key leaves the table:

        config(..., meta={'kept_keys': {'model': 'int_journey_stages_evaluated', 'column': 'account_id'}})

    A model that keeps rows by the inputs they were computed from (compare-and-keep) stores a
    fingerprint of those inputs in each row and names the model holding the current ones:

        config(..., meta={'current_inputs': {'model': 'int_attribution__conversion_inputs',
                                             'key': 'conversion_id', 'column': 'input_fingerprint'},
                          'recomputed_where': "model_family = 'data_driven'"})

    and a stored row whose (key, fingerprint) pair is not current any more leaves the table (its
    key's inputs changed, or the key is gone); so does every stored row matching
    recomputed_where (a static condition on the stored table's columns: rows every run computes
    again), and every row from recomputed_from on ({column, bound_model, bound_column}: the
    earlier of the latest `column` stored and the bound; macro recomputed_from_sql). The batch
    then holds the keys whose current pair is not stored, plus those rows.

    The model must ref the named model in its SQL, so that dbt knows the dependency and builds
    it first.
-#}

{#- the select listing the keys to replace, or none when the model names no replaced_keys;
    unique_key: the model's, which must be one column then -#}
{% macro replaced_keys_sql(unique_key) %}
    {%- do return(meta_keys_sql('replaced_keys', unique_key)) -%}
{% endmacro %}

{#- the select listing the keys that stay (meta kept_keys), or none -#}
{% macro kept_keys_sql(unique_key) %}
    {%- do return(meta_keys_sql('kept_keys', unique_key)) -%}
{% endmacro %}

{% macro meta_keys_sql(meta_name, unique_key) %}
    {%- set named = config.get('meta', {}).get(meta_name) -%}
    {%- if not named -%}
        {%- do return(none) -%}
    {%- endif -%}
    {%- if unique_key is not string and unique_key | length != 1 -%}
        {{- exceptions.raise_compiler_error('meta ' ~ meta_name ~ ' needs one unique_key column (' ~ this ~ ')') -}}
    {%- endif -%}
    {%- do return('select ' ~ named['column'] ~ ' from ' ~ ref(named['model'])) -%}
{% endmacro %}

{#- the condition (on the stored table, alias `stored`) of the rows leaving it by meta
    current_inputs, recomputed_where or recomputed_from, or none -#}
{% macro stale_rows_sql(stored) %}
    {%- set meta = config.get('meta', {}) -%}
    {%- set conditions = [] -%}
    {%- set current = meta.get('current_inputs') -%}
    {%- if current -%}
        {%- do conditions.append(
            'not exists (select 1 from ' ~ ref(current['model']) ~ ' as current_inputs'
            ~ ' where current_inputs.' ~ current['key'] ~ ' = ' ~ stored ~ '.' ~ current['key']
            ~ ' and current_inputs.' ~ current['column'] ~ ' = ' ~ stored ~ '.' ~ current['column'] ~ ')'
        ) -%}
    {%- endif -%}
    {%- if meta.get('recomputed_where') -%}
        {%- do conditions.append('(' ~ meta['recomputed_where'] ~ ')') -%}
    {%- endif -%}
    {%- if meta.get('recomputed_from') -%}
        {%- do conditions.append(
            stored ~ '.' ~ meta['recomputed_from']['column'] ~ ' >= ' ~ recomputed_from_sql(meta['recomputed_from'])
        ) -%}
    {%- endif -%}
    {%- do return(none if not conditions else conditions | join(' or ')) -%}
{% endmacro %}

{#- dbt-duckdb's delete+insert, plus the replaced (or not kept) keys of a model that names them,
    and its stale rows -#}
{% macro duckdb__get_delete_insert_merge_sql(target, source, unique_key, dest_columns, incremental_predicates) %}
    {%- set replaced = replaced_keys_sql(unique_key) -%}
    {%- set kept = kept_keys_sql(unique_key) -%}
    {%- set stale = stale_rows_sql('stored') -%}
    {%- if replaced is none and kept is none and stale is none -%}
        {{- return(dbt.duckdb__get_delete_insert_merge_sql(
            target, source, unique_key, dest_columns, incremental_predicates
        )) -}}
    {%- endif -%}
    {%- if incremental_predicates -%}
        {{- exceptions.raise_compiler_error('meta replaced_keys, kept_keys and current_inputs take no incremental_predicates (' ~ target ~ ')') -}}
    {%- endif -%}
    {%- set key = unique_key if unique_key is string else unique_key[0] -%}
    {%- set keys = ([unique_key] if unique_key is string else unique_key) | join(', ') -%}
    {%- set columns = get_quoted_csv(dest_columns | map(attribute='name')) -%}
    delete from {{ target }} as stored
    where ({{ keys }}) in (select {{ keys }} from {{ source }})
        {%- if replaced is not none %}
        or {{ key }} in ({{ replaced }})
        {%- endif %}
        {%- if kept is not none %}
        or {{ key }} not in ({{ kept }})
        {%- endif %}
        {%- if stale is not none %}
        or {{ stale }}
        {%- endif %};

    insert into {{ target }} ({{ columns }})
    (select {{ columns }} from {{ source }})
{% endmacro %}
