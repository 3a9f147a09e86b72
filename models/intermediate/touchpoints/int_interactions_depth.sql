-- Every interaction, with its engagement kind, the kind's weight in the seed
-- touchpoint_engagement_weights (kinds missing from the seed weigh as 'other'), and its
-- engagement depth: the weight as a share of var('tp_depth_full'), capped at 1.
-- The kind refines the interaction type where the source says more: a video watched past
-- var('tp_video_completion_percent') is a completion, a form by its type, a meeting or webinar
-- by its status, a call by its outcome, an ad click by whether it led to a site visit.
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
    select * from {{ ref('int_interactions_attention') }}
    where {{ in_change_set() }}
),

engagement_weights as (
    select
        engagement_kind,
        engagement_weight
    from {{ ref('touchpoint_engagement_weights') }}
),

interactions_kinded as (
    select
        *,
        case
            when interaction_type = 'video_progress'
                then
                    case
                        when video_percent_complete >= {{ var('tp_video_completion_percent') }}
                            then 'video_completion'
                        else 'video_view'
                    end
            when interaction_type = 'form_submission' then 'form_' || coalesce(form_type, 'other')
            when interaction_type = 'meeting'
                then
                    case
                        when status in ('booked', 'attended') then 'meeting_' || status
                        else 'meeting_not_held'
                    end
            when interaction_type = 'webinar'
                then
                    case when status = 'attended' then 'webinar_attended' else 'webinar_registered' end
            when interaction_type = 'call'
                then
                    case
                        when status in ('connected', 'meeting_booked') then 'call_connected'
                        else 'call_unanswered'
                    end
            when interaction_type = 'ad_click' and not has_site_visit then 'ad_click_no_visit'
            else interaction_type
        end as engagement_kind
    from interactions
),

interactions_weighted as (
    select
        interactions_kinded.*,
        cast(
            coalesce(engagement_weights.engagement_weight, other_weight.engagement_weight, 0)
            as double
        ) as engagement_weight
    from interactions_kinded
    left join engagement_weights
        on interactions_kinded.engagement_kind = engagement_weights.engagement_kind
    left join engagement_weights as other_weight
        on other_weight.engagement_kind = 'other'
),

final as (
    select
        *,
        least(engagement_weight / {{ var('tp_depth_full') }}, 1.0) as engagement_depth
    from interactions_weighted
)

select * from final
