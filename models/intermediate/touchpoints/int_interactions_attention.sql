-- Every interaction, with its attention ratio (attention_method says how it was measured):
--   engaged_time       page view: engaged seconds / expected seconds
--   share_watched      video: percent watched / 100
--   document_seconds   document: seconds viewed / (total pages x var('tp_document_seconds_per_page'))
--   document_pages     document without seconds: pages viewed / total pages
--   webinar_minutes    webinar: minutes attended / webinar length
--   landing_page_view  ad click: the ratio of the page view it landed on (click id in the URL)
-- Other interactions have no attention ratio (null). Ratios are rounded to 2 decimals.
-- Incremental per interaction: a run recomputes the interactions of the change set
-- (int_interactions_changed, macro in_change_set) and replaces them (delete+insert).
{{
    config(
        materialized='incremental',
        unique_key='interaction_id',
        incremental_strategy=incremental_strategy(),
    )
}}

with

all_interactions as (
    select * from {{ ref('int_interactions_expected_time') }}
),

interactions as (
    select * from all_interactions
    where {{ in_change_set() }}
),

engaged_time as (
    select
        page_view_event_id,
        engaged_seconds,
        engaged_time_method,
        session_engaged_seconds
    from {{ ref('int_page_views_engaged_time') }}
),

page_views_with_engaged_time as (
    select
        interactions.interaction_id,
        interactions.occurred_at,
        interactions.click_id,
        engaged_time.engaged_seconds,
        engaged_time.engaged_time_method,
        engaged_time.session_engaged_seconds,
        {{ round_half_up('engaged_time.engaged_seconds / nullif(interactions.expected_seconds, 0)', 2) }}
            as attention_ratio
    from all_interactions as interactions
    left join engaged_time
        on interactions.source_record_id = engaged_time.page_view_event_id
    where interactions.source_system = 'segment'
        and interactions.interaction_type = 'page_view'
        -- the page views recomputed, and every page view an ad click may land on
        and ({{ in_change_set('interactions.interaction_id') }} or interactions.click_id is not null)
),

-- an ad click lands on the earliest page view carrying its click id
ad_click_landings_ranked as (
    select
        ad_clicks.interaction_id as ad_click_interaction_id,
        page_views_with_engaged_time.interaction_id as landing_interaction_id,
        page_views_with_engaged_time.attention_ratio as landing_attention_ratio,
        page_views_with_engaged_time.session_engaged_seconds as landing_visit_seconds,
        row_number() over (
            partition by ad_clicks.interaction_id
            order by page_views_with_engaged_time.occurred_at, page_views_with_engaged_time.interaction_id
        ) as landing_rank
    from interactions as ad_clicks
    inner join page_views_with_engaged_time
        on coalesce(ad_clicks.click_id, ad_clicks.source_record_id) = page_views_with_engaged_time.click_id
    where ad_clicks.interaction_type = 'ad_click'
),

ad_click_landings as (
    select * from ad_click_landings_ranked where landing_rank = 1
),

interactions_joined as (
    select
        interactions.*,
        page_views_with_engaged_time.engaged_seconds,
        page_views_with_engaged_time.engaged_time_method,
        page_views_with_engaged_time.attention_ratio as page_attention_ratio,
        ad_click_landings.landing_interaction_id,
        ad_click_landings.landing_attention_ratio,
        ad_click_landings.landing_visit_seconds
    from interactions
    left join page_views_with_engaged_time
        on interactions.interaction_id = page_views_with_engaged_time.interaction_id
    left join ad_click_landings
        on interactions.interaction_id = ad_click_landings.ad_click_interaction_id
),

attention_measured as (
    select
        *,
        case
            when interaction_type = 'page_view' and engaged_seconds is not null then 'engaged_time'
            when interaction_type = 'video_progress' and video_percent_complete is not null
                then 'share_watched'
            when interaction_type = 'document_view' and seconds_viewed is not null and total_pages > 0
                then 'document_seconds'
            when interaction_type = 'document_view' and pages_viewed is not null and total_pages > 0
                then 'document_pages'
            when interaction_type = 'webinar' and minutes_attended is not null and length_minutes > 0
                then 'webinar_minutes'
            when interaction_type = 'ad_click' and landing_interaction_id is not null
                then 'landing_page_view'
        end as attention_method
    from interactions_joined
),

final as (
    select
        *,
        landing_interaction_id is not null as has_site_visit,
        case attention_method
            when 'engaged_time' then page_attention_ratio
            when 'share_watched' then {{ round_half_up('video_percent_complete / 100', 2) }}
            when 'document_seconds' then {{ round_half_up(
                "seconds_viewed / (total_pages * " ~ var('tp_document_seconds_per_page') ~ ")", 2
            ) }}
            when 'document_pages' then {{ round_half_up('pages_viewed / total_pages', 2) }}
            when 'webinar_minutes' then {{ round_half_up('minutes_attended / length_minutes', 2) }}
            when 'landing_page_view' then landing_attention_ratio
        end as attention_ratio
    from attention_measured
)

select * from final
