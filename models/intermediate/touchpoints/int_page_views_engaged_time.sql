-- Engaged seconds per page view, and which method gave them (engaged_time_method):
--   heartbeat         the page sent n heartbeats: min visit + (n - 1) x heartbeat interval
--   next_event        no heartbeat: seconds until the next page view in the session (else the last
--                     track event on this page), capped at var('tp_engaged_time_cap_seconds')
--                     so an idle tab does not count as reading; when the session does send
--                     heartbeats, a page without one was left before the first: capped at
--                     var('tp_min_visit_seconds')
--   no_next_event     the last page of a session without heartbeats or later events: 0 seconds
-- Incremental like int_page_views_sessionized (macro incremental_visitor_scope): every visitor
-- with a session rebuilt there since this model last ran is rebuilt whole here.
-- source_loaded_at: the latest load time of the events of the page view's session.
{{
    config(
        materialized='incremental',
        unique_key='page_view_event_id',
        incremental_strategy=incremental_strategy(),
    )
}}

with

events as (
    select
        event_id,
        event_type,
        is_heartbeat,
        visitor_key,
        session_id,
        page_view_number,
        occurred_at,
        heartbeat_interval_seconds,
        source_loaded_at
    from {{ ref('int_page_views_sessionized') }}
),

events_in_scope as (
    {{ incremental_visitor_scope('events', 'visitor_key', 'source_loaded_at') }}
),

page_views as (
    select
        event_id as page_view_event_id,
        visitor_key,
        session_id,
        page_view_number,
        occurred_at as page_viewed_at,
        source_loaded_at,
        lead(occurred_at) over (
            partition by session_id order by occurred_at, event_id
        ) as next_page_viewed_at
    from events_in_scope
    where event_type = 'page'
),

heartbeats_per_page_view as (
    select
        session_id,
        page_view_number,
        count(*) as heartbeat_count,
        max(heartbeat_interval_seconds) as heartbeat_interval_seconds
    from events_in_scope
    where is_heartbeat
    group by session_id, page_view_number
),

track_events_per_page_view as (
    select
        session_id,
        page_view_number,
        max(occurred_at) as last_track_event_at
    from events_in_scope
    where event_type = 'track' and not is_heartbeat
    group by session_id, page_view_number
),

sessions_with_heartbeats as (
    select distinct session_id
    from events_in_scope
    where is_heartbeat
),

page_views_joined as (
    select
        page_views.page_view_event_id,
        page_views.visitor_key,
        page_views.session_id,
        page_views.page_view_number,
        page_views.page_viewed_at,
        page_views.source_loaded_at,
        coalesce(heartbeats_per_page_view.heartbeat_count, 0) as heartbeat_count,
        coalesce(
            heartbeats_per_page_view.heartbeat_interval_seconds,
            {{ var('tp_heartbeat_interval_seconds') }}
        ) as heartbeat_interval_seconds,
        sessions_with_heartbeats.session_id is not null as has_session_heartbeats,
        {{ dbt.datediff(
            'page_views.page_viewed_at',
            'coalesce(page_views.next_page_viewed_at, track_events_per_page_view.last_track_event_at)',
            'second'
        ) }} as seconds_to_next_event
    from page_views
    left join heartbeats_per_page_view
        on page_views.session_id = heartbeats_per_page_view.session_id
        and page_views.page_view_number = heartbeats_per_page_view.page_view_number
    left join track_events_per_page_view
        on page_views.session_id = track_events_per_page_view.session_id
        and page_views.page_view_number = track_events_per_page_view.page_view_number
    left join sessions_with_heartbeats
        on page_views.session_id = sessions_with_heartbeats.session_id
),

engaged_time_computed as (
    select
        *,
        case
            when heartbeat_count > 0 then 'heartbeat'
            when seconds_to_next_event is not null then 'next_event'
            else 'no_next_event'
        end as engaged_time_method,
        case
            when has_session_heartbeats then {{ var('tp_min_visit_seconds') }}
            else {{ var('tp_engaged_time_cap_seconds') }}
        end as next_event_cap_seconds
    from page_views_joined
),

engaged_seconds_computed as (
    select
        page_view_event_id,
        visitor_key,
        session_id,
        page_view_number,
        page_viewed_at,
        heartbeat_count,
        seconds_to_next_event,
        engaged_time_method,
        cast(case
            when engaged_time_method = 'heartbeat'
                then {{ var('tp_min_visit_seconds') }} + (heartbeat_count - 1) * heartbeat_interval_seconds
            when engaged_time_method = 'next_event'
                then least(seconds_to_next_event, next_event_cap_seconds)
            else 0
        end as double) as engaged_seconds,
        engaged_time_method = 'next_event'
            and seconds_to_next_event > next_event_cap_seconds as is_engaged_time_capped,
        source_loaded_at
    from engaged_time_computed
),

-- the visit's total: an ad click is judged by the visit it led to, not only its landing page
final as (
    select
        *,
        sum(engaged_seconds) over (partition by session_id) as session_engaged_seconds
    from engaged_seconds_computed
)

select * from final
