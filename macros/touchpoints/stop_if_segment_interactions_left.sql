{#-
    int_interactions_unioned, on an incremental run, before it builds: stops the run when a
    Segment event it stores as an interaction was loaded again (a re-export, since the
    watermark) as an event that is no longer one (a heartbeat or an identify call).

    delete+insert replaces the keys of the new rows and cannot remove a key that has no new row,
    so the stale interaction would stay in int_interactions_unioned and in every incremental
    table built from it (the feature chain, fct_interactions, the page-view models). Rather than
    drift silently, the run fails naming the first such events (file and row) and the full
    refresh that rebuilds the Segment lineage from the raw layer.

    Call it only on an incremental run, at execution time (it reads {{ this }}).
-#}
{% macro stop_if_segment_interactions_left() %}
    {%- set left_query -%}
        select
            events.event_id,
            events.event_type,
            events.event_name,
            events.source_file_name,
            events.source_row_number
        from {{ ref('stg_segment__events') }} as events
        inner join {{ this }} as stored
            on stored.source_system = 'segment'
                and events.event_id = stored.source_record_id
        where {{ loaded_since_last_run('events.loaded_at', watermark_column='loaded_at') }}
            and not {{ segment_event_is_interaction('events.event_type', 'events.event_name') }}
        order by events.event_id
        limit 5
    {%- endset -%}
    {%- set left_rows = run_query(left_query).rows -%}
    {%- if left_rows | length > 0 -%}
        {%- set examples = [] -%}
        {%- for row in left_rows -%}
            {%- do examples.append(
                'segment:' ~ row[0] ~ ' is now ' ~ row[1] ~ (' "' ~ row[2] ~ '"' if row[2] else '')
                ~ ' (' ~ row[3] ~ ', row ' ~ row[4] ~ ')'
            ) -%}
        {%- endfor -%}
        {{ exceptions.raise_compiler_error(
            'int_interactions_unioned: Segment events stored as interactions were re-exported as '
            ~ 'events that are not interactions (heartbeat or identify call): ' ~ examples | join('; ')
            ~ '. An incremental run cannot remove an interaction from the tables built from it. '
            ~ 'Rebuild the Segment lineage from the raw layer: '
            ~ 'dbt build --full-refresh --select stg_segment__events+'
        ) }}
    {%- endif -%}
{% endmacro %}
