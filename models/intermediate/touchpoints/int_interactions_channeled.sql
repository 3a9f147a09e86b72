-- Every interaction, with its channel and the channel's intent weight.
-- Rules live in the seed touchpoint_channel_rules; the lowest rule_order that matches wins.
-- A rule column left empty matches anything; patterns are SQL LIKE patterns on lower-cased
-- values, and '(none)' matches a missing value. Web events are classified by the first event
-- of their session (its UTM, referrer and click id), so a second page view is not 'referral'
-- from our own site. Intent weights come from the seed touchpoint_channel_intent_weights.
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
    select * from {{ ref('int_interactions_frequency') }}
    where {{ in_change_set() }}
),

sessions as (
    select
        event_id,
        session_utm_source,
        session_utm_medium,
        session_referrer_domain,
        session_click_id_type
    from {{ ref('int_page_views_sessionized') }}
),

-- an empty cell may load as '' rather than null (engine, or dbt's seed fixtures): both match anything
channel_rules as (
    select
        rule_order,
        nullif(source_system, '') as source_system,
        nullif(meeting_type, '') as meeting_type,
        nullif(click_id_type, '') as click_id_type,
        nullif(utm_medium_like, '') as utm_medium_like,
        nullif(utm_source_like, '') as utm_source_like,
        nullif(referrer_domain_like, '') as referrer_domain_like,
        channel
    from {{ ref('touchpoint_channel_rules') }}
),

channel_intent_weights as (
    select
        channel,
        intent_weight
    from {{ ref('touchpoint_channel_intent_weights') }}
),

channel_inputs as (
    select
        interactions.interaction_id,
        interactions.source_system,
        coalesce(lower(interactions.meeting_type), '(none)') as meeting_type,
        coalesce(lower(coalesce(sessions.session_click_id_type, interactions.click_id_type)), '(none)')
            as click_id_type,
        coalesce(lower(coalesce(sessions.session_utm_medium, interactions.utm_medium)), '(none)')
            as utm_medium,
        coalesce(lower(coalesce(sessions.session_utm_source, interactions.utm_source)), '(none)')
            as utm_source,
        coalesce(lower(coalesce(sessions.session_referrer_domain, interactions.referrer_domain)), '(none)')
            as referrer_domain
    from interactions
    left join sessions
        on interactions.source_system = 'segment'
            and interactions.source_record_id = sessions.event_id
),

rules_matched as (
    select
        channel_inputs.interaction_id,
        channel_rules.rule_order,
        channel_rules.channel,
        row_number() over (
            partition by channel_inputs.interaction_id order by channel_rules.rule_order
        ) as match_rank
    from channel_inputs
    inner join channel_rules
        on (channel_rules.source_system is null or channel_inputs.source_system = channel_rules.source_system)
            and (channel_rules.meeting_type is null or channel_inputs.meeting_type = channel_rules.meeting_type)
            and (channel_rules.click_id_type is null or channel_inputs.click_id_type = channel_rules.click_id_type)
            and (channel_rules.utm_medium_like is null or channel_inputs.utm_medium like channel_rules.utm_medium_like)
            and (channel_rules.utm_source_like is null or channel_inputs.utm_source like channel_rules.utm_source_like)
            and (
                channel_rules.referrer_domain_like is null
                or channel_inputs.referrer_domain like channel_rules.referrer_domain_like
            )
),

final as (
    select
        interactions.*,
        coalesce(rules_matched.channel, 'other') as channel,
        rules_matched.rule_order as channel_rule_order,
        -- what the rules saw, so the run summary can list the pairs that ended in 'other'
        channel_inputs.utm_medium as channel_utm_medium,
        channel_inputs.utm_source as channel_utm_source,
        cast(coalesce(channel_intent_weights.intent_weight, 0) as double)
            as channel_intent_weight
    from interactions
    inner join channel_inputs
        on interactions.interaction_id = channel_inputs.interaction_id
    left join rules_matched
        on interactions.interaction_id = rules_matched.interaction_id
            and rules_matched.match_rank = 1
    left join channel_intent_weights
        on coalesce(rules_matched.channel, 'other') = channel_intent_weights.channel
)

select * from final
