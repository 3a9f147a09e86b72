-- Every interaction, with how often the same account engaged around it: the number of distinct
-- days in the var('tp_frequency_window_days') days up to and including the interaction on which
-- the account (else the contact, else the visitor) had an interaction with engagement depth > 0.
-- is_repeat_engagement: at least var('tp_repeat_min_active_days') such days.
-- Computed on account-days, not interaction pairs, so a busy account stays cheap.
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
    select
        *,
        coalesce(account_id, contact_id, visitor_id, interaction_id) as engagement_entity_id,
        cast(occurred_at as date) as occurred_on
    from {{ ref('int_interactions_depth') }}
),

interactions as (
    select * from all_interactions
    where {{ in_change_set() }}
),

-- the active days of every entity recomputed (its other interactions included)
active_days as (
    select distinct
        engagement_entity_id,
        occurred_on
    from all_interactions
    where engagement_depth > 0
    {%- if is_incremental() %}
        and engagement_entity_id in (select interactions.engagement_entity_id from interactions)
    {%- endif %}
),

active_days_in_window as (
    select
        interactions.interaction_id,
        count(active_days.occurred_on) as active_days_in_window
    from interactions
    left join active_days
        on interactions.engagement_entity_id = active_days.engagement_entity_id
            and interactions.occurred_on >= active_days.occurred_on
            and active_days.occurred_on > {{ dbt.dateadd(
            'day', -1 * var('tp_frequency_window_days'), 'interactions.occurred_on'
        ) }}
    group by interactions.interaction_id
),

final as (
    select
        interactions.*,
        active_days_in_window.active_days_in_window,
        active_days_in_window.active_days_in_window >= {{ var('tp_repeat_min_active_days') }}
            as is_repeat_engagement
    from interactions
    inner join active_days_in_window
        on interactions.interaction_id = active_days_in_window.interaction_id
)

select * from final
