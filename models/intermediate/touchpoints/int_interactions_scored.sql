-- Every interaction, with its touchpoint score (0..10), decision and reason.
-- Score: 10 x the weighted mean of the components present, each 0..1
--   attention  least(attention_ratio / var('tp_attention_meaningful_ratio'), 1)  (only when measured)
--   depth      engagement_depth (seed weight / var('tp_depth_full'), capped at 1)
--   intent     channel_intent_weight
--   frequency  least((active days - 1) / (var('tp_frequency_full_days') - 1), 1)
-- weighted by the var('tp_score_weight_*'); booked or attended meetings score at least
-- var('tp_meeting_min_score'). The decision: the first rule below that matches (see README).
-- Incremental per interaction: a run recomputes the interactions of the change set
-- (int_interactions_changed, macro in_change_set) and replaces them (delete+insert).
{{
    config(
        materialized='incremental',
        unique_key='interaction_id',
        incremental_strategy=incremental_strategy(),
    )
}}

{%- set final_score -%}
    case
        when reason = 'meeting' then greatest(weighted_score, {{ var('tp_meeting_min_score') }})
        else weighted_score
    end
{%- endset %}

with

interactions as (
    select * from {{ ref('int_interactions_channeled') }}
    where {{ in_change_set() }}
),

components as (
    select
        *,
        -- least() skips nulls on some engines: keep an unmeasured attention null
        case
            when attention_ratio is not null
                then least(attention_ratio / {{ var('tp_attention_meaningful_ratio') }}, 1.0)
        end as attention_component,
        engagement_depth as depth_component,
        channel_intent_weight as intent_component,
        least(
            greatest(active_days_in_window - 1, 0) / greatest({{ var('tp_frequency_full_days') }} - 1, 1),
            1.0
        ) as frequency_component
    from interactions
),

scored as (
    select
        *,
        10.0 * (
            coalesce(attention_component, 0) * {{ var('tp_score_weight_attention') }}
            + depth_component * {{ var('tp_score_weight_depth') }}
            + intent_component * {{ var('tp_score_weight_channel_intent') }}
            + frequency_component * {{ var('tp_score_weight_frequency') }}
        ) / (
            case when attention_component is null then 0 else {{ var('tp_score_weight_attention') }} end
            + {{ var('tp_score_weight_depth') }}
            + {{ var('tp_score_weight_channel_intent') }}
            + {{ var('tp_score_weight_frequency') }}
        ) as weighted_score
    from components
),

decided as (
    select
        *,
        case
            when engagement_kind in ('meeting_booked', 'meeting_attended') then 'meeting'
            when interaction_type = 'email_open' then 'open_only'
            when engagement_kind = 'ad_click_no_visit' then 'no_site_visit'
            when interaction_type = 'ad_click'
                and landing_visit_seconds >= {{ var('tp_click_min_visit_seconds') }} then 'engaged_visit'
            when interaction_type = 'ad_click' then 'bounce'
            when engagement_depth <= 0 then 'no_engagement'
            when interaction_type = 'page_view'
                and coalesce(engaged_seconds, 0) < {{ var('tp_bounce_seconds') }} then 'bounce'
            when attention_ratio >= {{ var('tp_attention_meaningful_ratio') }} then 'high_attention'
            when attention_ratio < {{ var('tp_attention_noise_ratio') }} then 'low_attention'
            when engagement_depth >= {{ var('tp_deep_engagement_min_depth') }} then 'deep_engagement'
            when is_repeat_engagement then 'repeat_engagement'
            when interaction_type = 'email_click' then 'single_click'
            else 'weak_signals'
        end as reason
    from scored
),

final as (
    select
        *,
        reason in (
            'meeting', 'engaged_visit', 'high_attention', 'deep_engagement', 'repeat_engagement'
        ) as is_touchpoint,
        {{ round_half_up(final_score, 2) }} as touchpoint_score
    from decided
)

select * from final
