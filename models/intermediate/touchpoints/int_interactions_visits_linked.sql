-- Every scored interaction, with clicks and the visits they started linked, so that one visit
-- is one touchpoint. A click and its landing page view are one visit:
--   ad click     -> the earliest page view carrying its click id (int_interactions_attention)
--   e-mail click -> the earliest page view carrying its e-mail event id as token (mkt_tok)
-- (a page view lands at most one click: the earliest). Both rows stay, each naming the other
-- in linked_interaction_id. The click row stands for the visit: its own channel, campaign and
-- time, the landing page view's engaged seconds, attention and content, and it is a
-- touchpoint when either row was judged one (reason and score of the click if it was one,
-- else the page view's). The landing page view is then never a touchpoint on its own
-- (reason counted_with_click), so no attribution path counts the visit twice.
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

interactions as (
    select * from {{ ref('int_interactions_scored') }}
),

interactions_in_scope as (
    select * from interactions
    where {{ in_change_set() }}
),

page_view_tokens as (
    select
        event_id,
        email_token
    from {{ ref('stg_segment__events') }}
    where event_type = 'page' and email_token is not null
),

ad_click_landings as (
    select
        interaction_id as click_interaction_id,
        landing_interaction_id
    from interactions
    where interaction_type = 'ad_click' and landing_interaction_id is not null
),

email_click_landings_ranked as (
    select
        email_clicks.interaction_id as click_interaction_id,
        landings.interaction_id as landing_interaction_id,
        row_number() over (
            partition by email_clicks.interaction_id
            order by landings.occurred_at, landings.interaction_id
        ) as landing_rank
    from interactions as email_clicks
    inner join page_view_tokens
        on email_clicks.source_record_id = page_view_tokens.email_token
    inner join interactions as landings
        on landings.source_system = 'segment'
            and page_view_tokens.event_id = landings.source_record_id
    where email_clicks.interaction_type = 'email_click'
),

click_landings as (
    select
        click_interaction_id,
        landing_interaction_id
    from ad_click_landings
    union all
    select
        click_interaction_id,
        landing_interaction_id
    from email_click_landings_ranked
    where landing_rank = 1
),

click_landings_ranked as (
    select
        click_landings.*,
        row_number() over (
            partition by click_landings.landing_interaction_id
            order by clicks.occurred_at, click_landings.click_interaction_id
        ) as click_rank
    from click_landings
    inner join interactions as clicks
        on click_landings.click_interaction_id = clicks.interaction_id
),

visits as (
    select
        click_interaction_id,
        landing_interaction_id
    from click_landings_ranked
    where click_rank = 1
),

linked as (
    select
        interactions.*,
        coalesce(as_click.landing_interaction_id, as_landing.click_interaction_id) as linked_interaction_id,
        as_click.landing_interaction_id is not null as is_visit_click,
        as_landing.click_interaction_id is not null as is_visit_landing
    from interactions_in_scope as interactions
    left join visits as as_click
        on interactions.interaction_id = as_click.click_interaction_id
    left join visits as as_landing
        on interactions.interaction_id = as_landing.landing_interaction_id
),

final as (
    select
        linked.interaction_id,
        linked.source_system,
        linked.source_record_id,
        linked.source_file_name,
        linked.source_row_number,
        linked.interaction_type,
        linked.touchpoint_type,
        linked.occurred_at,
        linked.visitor_id,
        linked.contact_id,
        linked.account_id,
        linked.channel,
        linked.channel_utm_medium,
        linked.channel_utm_source,
        linked.campaign_id,
        linked.campaign_name,
        case when linked.is_visit_click then coalesce(landing.catalog_content_id, landing.content_id)
            else linked.catalog_content_id
        end as catalog_content_id,
        case when linked.is_visit_click then landing.content_id else linked.content_id end as content_id,
        case when linked.is_visit_click then landing.resolved_content_type
            else linked.resolved_content_type
        end as resolved_content_type,
        case when linked.is_visit_click then landing.url_path else linked.url_path end as url_path,
        case when linked.is_visit_click then landing.engaged_seconds else linked.engaged_seconds end
            as engaged_seconds,
        case when linked.is_visit_click then landing.engaged_time_method
            else linked.engaged_time_method
        end as engaged_time_method,
        case when linked.is_visit_click then landing.expected_seconds else linked.expected_seconds end
            as expected_seconds,
        case when linked.is_visit_click then landing.expected_time_source
            else linked.expected_time_source
        end as expected_time_source,
        case when linked.is_visit_click then landing.attention_ratio else linked.attention_ratio end
            as attention_ratio,
        case when linked.is_visit_click then 'landing_page_view' else linked.attention_method end
            as attention_method,
        linked.is_visit_click or linked.has_site_visit as has_site_visit,
        linked.engagement_kind,
        linked.engagement_weight,
        linked.engagement_depth,
        linked.engagement_entity_id,
        linked.active_days_in_window,
        linked.is_repeat_engagement,
        linked.channel_intent_weight,
        case
            when linked.is_visit_click and not linked.is_touchpoint and landing.is_touchpoint
                then landing.touchpoint_score
            else linked.touchpoint_score
        end as touchpoint_score,
        case
            when linked.is_visit_landing then false
            when linked.is_visit_click then linked.is_touchpoint or landing.is_touchpoint
            else linked.is_touchpoint
        end as is_touchpoint,
        case
            when linked.is_visit_landing then 'counted_with_click'
            when linked.is_visit_click and not linked.is_touchpoint and landing.is_touchpoint
                then landing.reason
            else linked.reason
        end as reason,
        linked.linked_interaction_id
    from linked
    left join interactions as landing
        on linked.is_visit_click
            and linked.linked_interaction_id = landing.interaction_id
)

select * from final
