-- Engaged seconds per page view, and which method gave them (engaged_time_method):
--   heartbeat         the page has heartbeats (those reporting its page: int_heartbeats_assigned):
--                     seconds from the page event to its last heartbeat, plus the time from
--                     that heartbeat to the next page view of the session, at most one
--                     heartbeat interval (the last heartbeat's interval_seconds, else
--                     var('tp_heartbeat_interval_seconds')); nothing is added when no page view
--                     follows, since the visitor may have left right after that heartbeat
--   next_event        no heartbeat: seconds until the next page view in the session (else the last
--                     track event on this page), capped at var('tp_engaged_time_cap_seconds')
--                     so an idle tab does not count as reading; when the session does send
--                     heartbeats, a page without one was left before its first heartbeat: capped
--                     at one heartbeat interval
--   no_next_event     the last page of a session without heartbeats or later events: 0 seconds
-- Incremental like int_page_views_sessionized (macro visitor_window_scope): for every visitor
-- with a session rebuilt there since this model last ran, its sessions from the earliest
-- changed one onward.
-- source_loaded_at: the latest load time of the events of the page view's session.
{{
    config(
        materialized='incremental',
        unique_key='page_view_event_id',
        incremental_strategy=incremental_strategy(),
        meta={'tests_recent_load_column': 'source_loaded_at'},
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
    {{ visitor_window_scope(
        'events', ref('int_page_views_sessionized'),
        'source_loaded_at', ref('int_page_views_sessionized')
    ) }}
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

-- heartbeats by the page view whose page they report (int_heartbeats_assigned), not by order
heartbeats_per_page_view as (
    select
        heartbeats.page_view_event_id,
        count(*) as heartbeat_count,
        max(heartbeats.heartbeat_at) as last_heartbeat_at,
        max_by(
            coalesce(heartbeats.heartbeat_interval_seconds, {{ var('tp_heartbeat_interval_seconds') }}),
            heartbeats.heartbeat_at
        ) as last_heartbeat_interval_seconds
    from {{ ref('int_heartbeats_assigned') }} as heartbeats
    inner join page_views
        on heartbeats.page_view_event_id = page_views.page_view_event_id
    group by heartbeats.page_view_event_id
),

-- the first page view of the session after a page's last heartbeat (the visitor moved on)
next_page_views_after_heartbeats as (
    select
        heartbeats_per_page_view.page_view_event_id,
        min(later_page_views.page_viewed_at) as next_page_viewed_at
    from heartbeats_per_page_view
    inner join page_views
        on heartbeats_per_page_view.page_view_event_id = page_views.page_view_event_id
    inner join page_views as later_page_views
        on page_views.session_id = later_page_views.session_id
            and heartbeats_per_page_view.last_heartbeat_at < later_page_views.page_viewed_at
    group by heartbeats_per_page_view.page_view_event_id
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
    select
        session_id,
        max(coalesce(heartbeat_interval_seconds, {{ var('tp_heartbeat_interval_seconds') }}))
            as session_heartbeat_interval_seconds
    from events_in_scope
    where is_heartbeat
    group by session_id
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
        {{ dbt.datediff(
            'page_views.page_viewed_at', 'heartbeats_per_page_view.last_heartbeat_at', 'second'
        ) }} as seconds_to_last_heartbeat,
        -- least() skips nulls on some engines: no next page view adds nothing
        case
            when next_page_views_after_heartbeats.next_page_viewed_at is not null
                then least(
                {{ dbt.datediff(
                    'heartbeats_per_page_view.last_heartbeat_at',
                    'next_page_views_after_heartbeats.next_page_viewed_at',
                    'second'
                ) }},
                        heartbeats_per_page_view.last_heartbeat_interval_seconds
                    )
            else 0
        end as seconds_after_last_heartbeat,
        sessions_with_heartbeats.session_id is not null as has_session_heartbeats,
        sessions_with_heartbeats.session_heartbeat_interval_seconds,
        {{ dbt.datediff(
            'page_views.page_viewed_at',
            'coalesce(page_views.next_page_viewed_at, track_events_per_page_view.last_track_event_at)',
            'second'
        ) }} as seconds_to_next_event
    from page_views
    left join heartbeats_per_page_view
        on page_views.page_view_event_id = heartbeats_per_page_view.page_view_event_id
    left join next_page_views_after_heartbeats
        on page_views.page_view_event_id = next_page_views_after_heartbeats.page_view_event_id
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
            when has_session_heartbeats then session_heartbeat_interval_seconds
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
                then seconds_to_last_heartbeat + seconds_after_last_heartbeat
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
