{#-
    The events a visitor-grained incremental model (sessions, heartbeats, engaged time)
    recomputes: on a full build every event; on an incremental run, for every visitor with an
    event loaded since the last run (macro loaded_since_last_run), the visitor's events from the
    start of the session running at the earliest changed moment onward, not the visitor's whole
    history.

    The changed moment is the earliest time a changed event had in any export (column
    earliest_occurred_at, from stg_segment__events: a re-export that moves an event later also
    changes the session it left). Sessions before that moment are unchanged: a session break
    depends only on the gap between two consecutive events, and no event before that moment
    changed. Only the session running at that moment can grow, merge or split, so recomputing
    from its start gives the sessions of a full build, and session ids (the first event's id)
    stay stable.

    events:            a CTE or relation with one row per event: visitor_key, occurred_at and
                       the columns the model needs
    changes:           a relation (or a CTE the model reads nowhere else) with one row per
                       event: visitor_key, earliest_occurred_at and the load-time column; read
                       only to find the changed visitors. Not the events CTE: DuckDB stores a
                       CTE read twice whole, all its columns, before the join can drop a row
                       (int_page_views_sessionized's next-day query at 10M web events: 14.2-14.7
                       CPU s with the events CTE here, 1.9-3.5 with a narrow relation).
    loaded_at_column:  the column of changes holding the load time compared with the watermark
                       (int_page_views_sessionized: the event's loaded_at; the models after it:
                       source_loaded_at, which marks every event of a session that changed)
    sessions:          the sessions as built before this run's changes ({{ this }} in
                       int_page_views_sessionized, its ref in the models after it): visitor_key,
                       event_id, session_id, occurred_at. Before a visitor's changed moment they
                       are the sessions of this run.

    Returns a select statement (the body of an `events_in_scope` CTE).
-#}
{% macro visitor_window_scope(events, changes, loaded_at_column, sessions) %}
    {%- if not is_incremental() %}
    select * from {{ events }}
    {%- else %}
    select scoped_events.*
    from {{ events }} as scoped_events
    inner join (
        select
            changed_visitors.visitor_key,
            -- the start of the visitor's last session before the changed moment, else the
            -- changed moment itself (the visitor had no event before it)
            coalesce(max(session_starts.occurred_at), changed_visitors.changed_from_at) as window_start_at
        from (
            select
                visitor_key,
                min(earliest_occurred_at) as changed_from_at
            from {{ changes }}
            where {{ loaded_since_last_run(loaded_at_column) }}
            group by visitor_key
        ) as changed_visitors
        left join {{ sessions }} as session_starts
            on changed_visitors.visitor_key = session_starts.visitor_key
                and session_starts.event_id = session_starts.session_id
                and session_starts.occurred_at < changed_visitors.changed_from_at
        group by changed_visitors.visitor_key, changed_visitors.changed_from_at
    ) as visitor_windows
        on scoped_events.visitor_key = visitor_windows.visitor_key
            and scoped_events.occurred_at >= visitor_windows.window_start_at
    {%- endif %}
{% endmacro %}
