-- INTERFACE for the data-driven models: journeys that did not convert.
-- Grain: one row per journey and touchpoint in its path (journey_id, touchpoint_id).
-- conversion_type names the conversion the journey did NOT reach (lead_created,
-- opportunity_created, closed_won). Journeys (see int_attribution__journeys):
--   'closed_lost:<opportunity_id>'            a lost opportunity (non-conversion of closed_won)
--   'not_converted:<type>:<account_id>'       an account's touches after its last conversion of
--                                             that type, ending at its last touchpoint
-- Same window and path transforms as int_attribution__paths. Columns: journey_id,
-- conversion_type, ended_at, account_id, touchpoint_id, occurred_at, channel, campaign_id,
-- content_id, touchpoint_type, path_position, path_length, input_fingerprint (the account's).
-- Incremental by account (int_attribution__account_inputs), like
-- int_attribution__journey_touchpoints: an account whose fingerprint this table holds keeps
-- its rows (input_fingerprint); any other account's journeys are computed whole.
{{
    config(
        materialized='incremental',
        unique_key=['journey_id', 'touchpoint_id'],
        incremental_strategy=incremental_strategy(),
        meta=attribution_paths_meta(),
    )
}}

with

-- the accounts computed in this run (all of them on a full build), with their fingerprint
recomputed_accounts as (
    {{ recomputed_keys_sql('int_attribution__account_inputs', 'account_id', 'input_fingerprint') }}
),

journeys as (
    select
        all_journeys.journey_id,
        all_journeys.conversion_type,
        all_journeys.ends_at,
        all_journeys.account_id,
        recomputed_accounts.input_fingerprint
    from {{ ref('int_attribution__journeys') }} as all_journeys
    inner join recomputed_accounts
        on all_journeys.account_id = recomputed_accounts.account_id
    where not all_journeys.is_converting
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
        journey_touchpoints.path_length,
        journeys.input_fingerprint
    from journeys
    inner join journey_touchpoints
        on journeys.journey_id = journey_touchpoints.journey_id
)

select * from final
