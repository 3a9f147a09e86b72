{#-
    Compare-and-keep by fingerprint. An incremental model whose rows of a key (a conversion) are
    computed from inputs that one model fingerprints per key stores that fingerprint in each row
    and recomputes only the keys whose current fingerprint it does not hold:

        with recomputed as ({{ recomputed_keys_sql('int_attribution__conversion_inputs',
                                                   'conversion_id', 'input_fingerprint') }})

    Full build: every key of the fingerprint model (with its fingerprint, for the model to store
    in its rows). Incremental run: the keys whose (key, fingerprint) pair is not among the stored
    rows (new keys, changed inputs). Pair it with meta
    current_inputs (macros/replaced_keys.sql) naming the same model, key and column, so that the
    stored rows of changed or vanished keys leave the table. A key whose rows are all filtered
    out (none stored) is recomputed every run: correct, and as cheap as its empty result.
    stored_where: which stored rows carry the fingerprint (e.g. not the rows every run
    recomputes anyway). A stored table without the fingerprint column (built by an earlier
    version) stops the run, naming the full refresh (macro stop_if_built_without).
-#}
{% macro recomputed_keys_sql(model, key, fingerprint, stored_where=none) -%}
    {#- a table of a version before the fingerprint: stop naming the full refresh, not a database
        error (in a unit test `this` is the given fixture's name, not a table) -#}
    {%- if execute and is_incremental() and this is not string -%}
        {%- do stop_if_built_without(fingerprint) -%}
    {%- endif %}
    select
        current_inputs.{{ key }},
        current_inputs.{{ fingerprint }}
    from {{ ref(model) }} as current_inputs
    {%- if is_incremental() %}
    left join (
        select distinct {{ key }}, {{ fingerprint }}
        from {{ this }}
        {%- if stored_where %}
        where {{ stored_where }}
        {%- endif %}
    ) as stored_inputs
        on current_inputs.{{ key }} = stored_inputs.{{ key }}
            and current_inputs.{{ fingerprint }} = stored_inputs.{{ fingerprint }}
    where stored_inputs.{{ key }} is null
    {%- endif %}
{%- endmacro %}

{#-
    The time from which an incremental model recomputes every key (meta recomputed_from:
    {column, bound_model, bound_column}): the earlier of the latest `column` the model stores and
    the current bound (one row of bound_model). As a scalar subquery; the model must ref
    bound_model in its SQL outside is_incremental() (e.g. `-- depends_on:`).
-#}
{% macro recomputed_from_sql(recomputed_from) -%}
    (
        select min(bound_at)
        from (
            select max({{ recomputed_from['column'] }}) as bound_at from {{ this }}
            union all
            select {{ recomputed_from['bound_column'] }} as bound_at
            from {{ ref(recomputed_from['bound_model']) }}
        ) as bounds
    )
{%- endmacro %}

{#-
    The config meta of a compare-and-keep model: stored rows whose key's fingerprint in `model`
    changed, or whose key is gone, leave (current_inputs, column input_fingerprint), and the
    fingerprint catches every input's change, so the on-run-start check of vars and seeds leaves
    the model alone (incremental_inputs_compared: all). `extra`: further metas (e.g.
    recomputed_where, recomputed_from).
-#}
{% macro compare_and_keep_meta(model, key, extra={}) %}
    {%- set meta = {
        'current_inputs': {'model': model, 'key': key, 'column': 'input_fingerprint'},
        'incremental_inputs_compared': 'all',
    } -%}
    {%- do meta.update(extra) -%}
    {%- do return(meta) -%}
{% endmacro %}
