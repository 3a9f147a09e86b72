{#-
    int_identity_evidence, on an incremental run, before it builds: stops the run when a row it
    stores was loaded again (a re-export, since the watermark) as a row that names nobody any
    more (macro identity_evidence_condition, the model's own conditions, is false for it).

    delete+insert replaces the keys of the new rows and cannot remove a key that has no new row,
    so the withdrawn evidence would keep stitching its visitor. Rather than drift silently, the
    run fails naming the first such rows (file and row) and the full refresh that rebuilds the
    identity chain and what it feeds.

    Call it only on an incremental run, at execution time (it reads {{ this }}).
-#}
{% macro stop_if_identity_evidence_withdrawn() %}
    {%- set is_new_row = loaded_since_last_run('loaded_at', watermark_column='loaded_at') -%}
    {%- set withdrawn_query -%}
        with reloaded as (
            select
                'identify:' || event_id as signal_id,
                {{ identity_evidence_condition('identify') }} as still_names,
                source_file_name,
                source_row_number
            from {{ ref('stg_segment__events') }}
            where {{ is_new_row }}
            union all
            select
                'email_click:' || event_id as signal_id,
                {{ identity_evidence_condition('email_click') }} as still_names,
                source_file_name,
                source_row_number
            from {{ ref('stg_segment__events') }}
            where {{ is_new_row }}
            union all
            select
                'form:' || submission_id as signal_id,
                {{ identity_evidence_condition('form') }} as still_names,
                source_file_name,
                source_row_number
            from {{ ref('stg_forms__submissions') }}
            where {{ is_new_row }}
        )

        select
            reloaded.signal_id,
            reloaded.source_file_name,
            reloaded.source_row_number
        from reloaded
        inner join {{ this }} as stored
            on reloaded.signal_id = stored.signal_id
        where not reloaded.still_names
        order by reloaded.signal_id
        limit 5
    {%- endset -%}
    {%- set withdrawn_rows = run_query(withdrawn_query).rows -%}
    {%- if withdrawn_rows | length > 0 -%}
        {%- set examples = [] -%}
        {%- for row in withdrawn_rows -%}
            {%- do examples.append(row[0] ~ ' (' ~ row[1] ~ ', row ' ~ row[2] ~ ')') -%}
        {%- endfor -%}
        {{ exceptions.raise_compiler_error(
            'int_identity_evidence: rows stored as identity evidence were re-exported naming '
            ~ 'nobody: ' ~ examples | join('; ')
            ~ '. An incremental run cannot remove evidence, which would keep stitching its '
            ~ 'visitor. Rebuild the identity chain from staging once: '
            ~ 'dbt build --full-refresh --select int_identity_evidence+'
        ) }}
    {%- endif -%}
{% endmacro %}

{#-
    When a staged row is identity evidence of a kind (int_identity_evidence keeps it, and
    stop_if_identity_evidence_withdrawn stops when a stored one is no longer): a condition on the
    columns of stg_segment__events (identify, email_click) or stg_forms__submissions (form).
-#}
{% macro identity_evidence_condition(identified_by) %}
    {%- set conditions = {
        'identify': "anonymous_id is not null and (identified_email is not null or user_id is not null)",
        'email_click': "anonymous_id is not null and event_type = 'page' and email_token is not null",
        'form': "anonymous_id is not null and email is not null",
    } -%}
    {%- do return('(' ~ conditions[identified_by] ~ ')') -%}
{% endmacro %}
