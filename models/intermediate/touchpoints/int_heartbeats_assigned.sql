-- Every heartbeat (var('tp_heartbeat_event_name')), with the page view it belongs to: the most
-- recent page view of the same session at or before it that it names by page view id (when the
-- tracker sends properties.page_view_id: the page call's messageId or the page_view_id that page
-- call carries), else whose path equals the heartbeat's path. Two pages opened in the same
-- second (parallel tabs) each keep their own heartbeats. A heartbeat that matches no page view
-- keeps page_view_event_id null: it is counted in the run summary and not used for engaged time.
-- Incremental like int_page_views_sessionized (macro visitor_window_scope).
{{
    config(
        materialized='incremental',
        unique_key='heartbeat_event_id',
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
        occurred_at,
        page_path,
        page_view_id,
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

heartbeats as (
    select * from events_in_scope where is_heartbeat
),

page_views as (
    select * from events_in_scope where event_type = 'page'
),

candidates_ranked as (
    select
        heartbeats.event_id as heartbeat_event_id,
        page_views.event_id as page_view_event_id,
        case when heartbeats.page_view_id is not null then 'page_view_id' else 'page_path' end
            as heartbeat_match_method,
        row_number() over (
            partition by heartbeats.event_id
            order by page_views.occurred_at desc, page_views.event_id desc
        ) as candidate_rank
    from heartbeats
    inner join page_views
        on heartbeats.session_id = page_views.session_id
            and heartbeats.occurred_at >= page_views.occurred_at
            and (
                (
                    heartbeats.page_view_id is not null
                    and (
                        heartbeats.page_view_id = page_views.event_id
                        or heartbeats.page_view_id = page_views.page_view_id
                    )
                )
                or (
                    heartbeats.page_view_id is null
                    and heartbeats.page_path = page_views.page_path
                )
            )
),

final as (
    select
        heartbeats.event_id as heartbeat_event_id,
        heartbeats.visitor_key,
        heartbeats.session_id,
        heartbeats.occurred_at as heartbeat_at,
        heartbeats.page_path,
        heartbeats.page_view_id,
        heartbeats.heartbeat_interval_seconds,
        candidates_ranked.page_view_event_id,
        candidates_ranked.heartbeat_match_method,
        candidates_ranked.page_view_event_id is not null as is_assigned,
        heartbeats.source_loaded_at
    from heartbeats
    left join candidates_ranked
        on heartbeats.event_id = candidates_ranked.heartbeat_event_id
            and candidates_ranked.candidate_rank = 1
)

select * from final
