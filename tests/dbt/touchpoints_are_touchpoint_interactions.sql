-- Every row of fct_touchpoints is an interaction of fct_interactions with is_touchpoint, and
-- every such interaction is a touchpoint. Returns the mismatches.
-- Reads several models: shown in Dagster as an asset check of fct_touchpoints.
{{ config(meta={'dagster': {'ref': {'name': 'fct_touchpoints'}}}) }}

with

touchpoints as (
    select touchpoint_id
    from {{ ref('fct_touchpoints') }}
),

kept_interactions as (
    select interaction_id
    from {{ ref('fct_interactions') }}
    where is_touchpoint
),

final as (
    select
        coalesce(touchpoints.touchpoint_id, kept_interactions.interaction_id) as interaction_id,
        touchpoints.touchpoint_id is null as is_missing_from_touchpoints,
        kept_interactions.interaction_id is null as is_not_a_kept_interaction
    from touchpoints
    full outer join kept_interactions
        on touchpoints.touchpoint_id = kept_interactions.interaction_id
    where touchpoints.touchpoint_id is null
        or kept_interactions.interaction_id is null
)

select * from final
