{#-
    int_page_views_sessionized, on an incremental run, before it builds: stops the run when an
    event it holds was loaded again (a re-export, since the watermark) for another visitor (its
    anonymousId, or its userId when it has none, changed).

    The session models recompute, per visitor, the window from the session the changed events
    touch (macro visitor_window_scope); the models after int_page_views_sessionized find those
    windows from the sessions that hold a newly loaded event, which is the new visitor's only.
    The old visitor's sessions would keep the event's place, so rather than drift silently the
    run fails naming the first such events (file and row) and the full refresh that rebuilds the
    session models.

    Call it only on an incremental run, at execution time (it reads {{ this }}).
-#}
{% macro stop_if_segment_events_changed_visitor() %}
    {%- set moved_query -%}
        select
            events.event_id,
            stored.visitor_key,
            {{ segment_visitor_key('events') }} as new_visitor_key,
            events.source_file_name,
            events.source_row_number
        from {{ ref('stg_segment__events') }} as events
        inner join {{ this }} as stored
            on events.event_id = stored.event_id
        where {{ loaded_since_last_run('events.loaded_at') }}
            and stored.visitor_key <> {{ segment_visitor_key('events') }}
        order by events.event_id
        limit 5
    {%- endset -%}
    {%- set moved_rows = run_query(moved_query).rows -%}
    {%- if moved_rows | length > 0 -%}
        {%- set examples = [] -%}
        {%- for row in moved_rows -%}
            {%- do examples.append(
                'segment:' ~ row[0] ~ ' moved from visitor ' ~ row[1] ~ ' to ' ~ row[2]
                ~ ' (' ~ row[3] ~ ', row ' ~ row[4] ~ ')'
            ) -%}
        {%- endfor -%}
        {{ exceptions.raise_compiler_error(
            'int_page_views_sessionized: re-exported Segment events name another visitor: '
            ~ examples | join('; ')
            ~ '. An incremental run recomputes the sessions of the visitor an event has now, not '
            ~ 'of the one it had. Rebuild the session models once: '
            ~ 'dbt build --full-refresh --select int_page_views_sessionized+'
        ) }}
    {%- endif -%}
{% endmacro %}
