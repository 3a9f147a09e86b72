-- INTERFACE for every attribution model (rule based and data driven).
-- Grain: one row per conversion and touchpoint in its path (conversion_id, touchpoint_id).
-- Conversions: fct_conversions rows of type lead_created, opportunity_created, closed_won
-- (closed_lost is a non-conversion: see int_attribution__non_converting_paths). A conversion
-- whose path is empty has no rows here; the marts credit it to channel 'unattributed'.
-- Path: the account's touchpoints at or before converted_at and at most
-- attribution_lookback_days before it, after attribution_drop_channels and
-- attribution_path_transform (see int_attribution__journey_touchpoints).
-- Columns:
--   conversion_id, conversion_type, converted_at, account_id, contact_id, opportunity_id,
--   revenue (closed_won amount, else 0), pipeline_amount (opportunity amount, else 0),
--   touchpoint_id, occurred_at, channel (never null), campaign_id, content_id,
--   touchpoint_type, path_position (1..path_length, by occurred_at then touchpoint_id),
--   path_length, days_before_conversion (fractional days, >= 0),
--   is_first_touch, is_last_touch, is_last_non_direct_touch (last touch outside
--   attribution_direct_channels, else the last touch),
--   is_lead_touch (last touch at or before the lead-creation milestone: the conversion itself
--   for lead_created, else the account's most recent lead before the conversion),
--   is_opportunity_touch (last touch at or before the opportunity's creation; never for
--   lead_created), is_won_touch (the last touch of a closed_won conversion),
--   input_fingerprint (the account's, int_attribution__account_inputs).
-- A milestone touch is missing (all false) when no path touch precedes the milestone.
-- Incremental by account (int_attribution__account_inputs), like
-- int_attribution__journey_touchpoints: an account whose fingerprint this table holds keeps
-- its rows (input_fingerprint); any other account's journeys are computed whole.
{{
    config(
        materialized='incremental',
        unique_key=['conversion_id', 'touchpoint_id'],
        incremental_strategy=incremental_strategy(),
        meta=attribution_paths_meta(),
    )
}}

{%- set direct_channels = var('attribution_direct_channels', ['direct']) %}

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
        all_journeys.contact_id,
        all_journeys.opportunity_id,
        all_journeys.revenue,
        all_journeys.pipeline_amount,
        all_journeys.lead_at,
        all_journeys.opportunity_at,
        all_journeys.won_at,
        recomputed_accounts.input_fingerprint
    from {{ ref('int_attribution__journeys') }} as all_journeys
    inner join recomputed_accounts
        on all_journeys.account_id = recomputed_accounts.account_id
    where all_journeys.is_converting
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
        path_length,
        days_before_conversion
    from {{ ref('int_attribution__journey_touchpoints') }}
),

touches_joined as (
    select
        journeys.journey_id as conversion_id,
        journeys.conversion_type,
        journeys.ends_at as converted_at,
        journeys.account_id,
        journeys.contact_id,
        journeys.opportunity_id,
        journeys.revenue,
        journeys.pipeline_amount,
        journey_touchpoints.touchpoint_id,
        journey_touchpoints.occurred_at,
        journey_touchpoints.channel,
        journey_touchpoints.campaign_id,
        journey_touchpoints.content_id,
        journey_touchpoints.touchpoint_type,
        journey_touchpoints.path_position,
        journey_touchpoints.path_length,
        journey_touchpoints.days_before_conversion,
        journeys.lead_at,
        journeys.opportunity_at,
        journeys.won_at,
        journeys.input_fingerprint,
        {{ attribution_in_list('journey_touchpoints.channel', direct_channels) }} as is_direct_channel
    from journeys
    inner join journey_touchpoints
        on journeys.journey_id = journey_touchpoints.journey_id
),

milestone_positions as (
    select
        *,
        max(case when occurred_at <= lead_at then path_position end)
            over (partition by conversion_id) as lead_touch_position,
        max(case when occurred_at <= opportunity_at then path_position end)
            over (partition by conversion_id) as opportunity_touch_position,
        max(case when not is_direct_channel then path_position end)
            over (partition by conversion_id) as last_non_direct_position
    from touches_joined
),

final as (
    select
        conversion_id,
        conversion_type,
        converted_at,
        account_id,
        contact_id,
        opportunity_id,
        revenue,
        pipeline_amount,
        touchpoint_id,
        occurred_at,
        channel,
        campaign_id,
        content_id,
        touchpoint_type,
        path_position,
        path_length,
        days_before_conversion,
        path_position = 1 as is_first_touch,
        path_position = path_length as is_last_touch,
        path_position = coalesce(last_non_direct_position, path_length)
            as is_last_non_direct_touch,
        coalesce(path_position = lead_touch_position, false) as is_lead_touch,
        coalesce(path_position = opportunity_touch_position, false) as is_opportunity_touch,
        coalesce(won_at is not null and path_position = path_length, false) as is_won_touch,
        input_fingerprint
    from milestone_positions
)

select * from final
