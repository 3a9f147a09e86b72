-- INTERFACE for the data-driven models: journeys that did not convert.
-- Grain: one row per journey and touchpoint in its path (journey_id, touchpoint_id).
-- conversion_type names the conversion the journey did NOT reach (lead_created,
-- opportunity_created, closed_won). Journeys (see int_attribution__journeys):
--   'closed_lost:<opportunity_id>'            a lost opportunity (non-conversion of closed_won)
--   'not_converted:<type>:<account_id>'       an account's touches after its last conversion of
--                                             that type, ending at its last touchpoint
-- Same window and path transforms as int_attribution__paths. Columns: journey_id,
-- conversion_type, ended_at, account_id, touchpoint_id, occurred_at, channel, campaign_id,
-- content_id, touchpoint_type, path_position, path_length.

with

journeys as (
    select
        journey_id,
        conversion_type,
        ends_at,
        account_id
    from {{ ref('int_attribution__journeys') }}
    where not is_converting
),

journey_touchpoints as (
    select
        journey_id,
        touchpoint_id,
        occurred_at,
        channel,
        campaign_id,
        content_id,
        touchpoint_type,
        path_position,
        path_length
    from {{ ref('int_attribution__journey_touchpoints') }}
),

final as (
    select
        journeys.journey_id,
        journeys.conversion_type,
        journeys.ends_at as ended_at,
        journeys.account_id,
        journey_touchpoints.touchpoint_id,
        journey_touchpoints.occurred_at,
        journey_touchpoints.channel,
        journey_touchpoints.campaign_id,
        journey_touchpoints.content_id,
        journey_touchpoints.touchpoint_type,
        journey_touchpoints.path_position,
        journey_touchpoints.path_length
    from journeys
    inner join journey_touchpoints
        on journeys.journey_id = journey_touchpoints.journey_id
)

select * from final
