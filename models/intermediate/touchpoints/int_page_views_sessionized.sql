-- Every Segment page and track event (identify calls excluded) with its visitor session.
-- A session ends after var('tp_session_inactivity_minutes') without events. The session id is
-- the id of its first event, so it stays the same when a session is recomputed.
-- Incremental by load time: for every visitor with an event loaded since the last run, a run
-- rebuilds the visitor's sessions from the one running at the earliest time a new or
-- re-exported event had (macro visitor_window_scope), so a late event of any age that joins or
-- splits sessions is handled without reading the visitor's older history. A re-export that
-- gives an event to another visitor stops the run (macro stop_if_segment_events_changed_visitor).
-- source_loaded_at (the latest load time of the session's events) is the watermark of this
-- model and, with earliest_occurred_at, how the models after it find what changed.
{{
    config(
        materialized='incremental',
        unique_key='event_id',
        incremental_strategy=incremental_strategy(),
        meta={'tests_recent_load_column': 'source_loaded_at'},
    )
}}

{%- if is_incremental() and execute %}
    {%- do stop_if_segment_events_changed_visitor() %}
{%- endif %}

with

events as (
    select
        event_id,
        event_type,
        event_name,
        {{ segment_visitor_key() }} as visitor_key,
        occurred_at,
        earliest_occurred_at,
        page_path,
        referrer_domain,
        utm_source,
        utm_medium,
        utm_campaign,
        click_id,
        click_id_type,
        heartbeat_interval_seconds,
        page_view_id,
        loaded_at
    from {{ ref('stg_segment__events') }}
    where event_type in ('page', 'track')
),

{% if is_incremental() -%}
-- what finds the changed visitors: three narrow columns (macro visitor_window_scope), so that
-- the wide events above are read once
events_loaded as (
    select
        {{ segment_visitor_key() }} as visitor_key,
        earliest_occurred_at,
        loaded_at
    from {{ ref('stg_segment__events') }}
    where event_type in ('page', 'track')
),
{%- endif %}

events_in_scope as (
    {{ visitor_window_scope('events', 'events_loaded', 'loaded_at', this) }}
),

events_with_previous as (
    select
        *,
        lag(occurred_at) over (
            partition by visitor_key order by occurred_at, event_id
        ) as previous_occurred_at
    from events_in_scope
),

session_starts_flagged as (
    select
        *,
        case
            when previous_occurred_at is null then 1
            when {{ dbt.datediff('previous_occurred_at', 'occurred_at', 'second') }}
                > {{ var('tp_session_inactivity_minutes') }} * 60 then 1
            else 0
        end as is_session_start
    from events_with_previous
),

sessions_numbered as (
    select
        *,
        sum(is_session_start) over (
            partition by visitor_key order by occurred_at, event_id
            rows between unbounded preceding and current row
        ) as visitor_session_number
    from session_starts_flagged
),

sessions_identified as (
    select
        *,
        first_value(event_id) over (
            partition by visitor_key, visitor_session_number order by occurred_at, event_id
            rows between unbounded preceding and current row
        ) as session_id,
        first_value(referrer_domain) over (
            partition by visitor_key, visitor_session_number order by occurred_at, event_id
            rows between unbounded preceding and current row
        ) as session_referrer_domain,
        first_value(utm_source) over (
            partition by visitor_key, visitor_session_number order by occurred_at, event_id
            rows between unbounded preceding and current row
        ) as session_utm_source,
        first_value(utm_medium) over (
            partition by visitor_key, visitor_session_number order by occurred_at, event_id
            rows between unbounded preceding and current row
        ) as session_utm_medium,
        first_value(click_id_type) over (
            partition by visitor_key, visitor_session_number order by occurred_at, event_id
            rows between unbounded preceding and current row
        ) as session_click_id_type,
        sum(case when event_type = 'page' then 1 else 0 end) over (
            partition by visitor_key, visitor_session_number order by occurred_at, event_id
            rows between unbounded preceding and current row
        ) as page_view_number,
        max(loaded_at) over (
            partition by visitor_key, visitor_session_number
        ) as source_loaded_at
    from sessions_numbered
),

final as (
    select
        event_id,
        event_type,
        event_name,
        coalesce(event_name = '{{ var("tp_heartbeat_event_name") }}', false) as is_heartbeat,
        visitor_key,
        session_id,
        page_view_number,
        occurred_at,
        earliest_occurred_at,
        page_path,
        heartbeat_interval_seconds,
        page_view_id,
        session_referrer_domain,
        session_utm_source,
        session_utm_medium,
        session_click_id_type,
        source_loaded_at
    from sessions_identified
)

select * from final
