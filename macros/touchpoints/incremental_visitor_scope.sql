{#-
    The events a visitor-grained incremental model recomputes: on a full build every event; on
    an incremental run the whole history of every visitor with at least one event loaded since
    the last run (see loaded_since_last_run). Whole histories, so a late event of any age can
    join or split sessions without cutting one at a window's edge.

    events:           a CTE or relation with one row per event
    visitor_column:   the column naming the visitor
    loaded_at_column: the column holding the row's load time

    Returns a select statement (the body of an `events_in_scope` CTE).
-#}
{% macro incremental_visitor_scope(events, visitor_column, loaded_at_column) %}
    select *
    from {{ events }}
    {% if is_incremental() %}
    where {{ visitor_column }} in (
        select {{ visitor_column }}
        from {{ events }}
        where {{ loaded_since_last_run(loaded_at_column) }}
    )
    {% endif %}
{% endmacro %}
