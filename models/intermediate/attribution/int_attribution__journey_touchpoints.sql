-- One row per journey (int_attribution__journeys) and touchpoint kept in its path, after the
-- lookback window and the path transforms, in this order:
--   1. window: touches of the journey's account at or before ends_at, at most
--      attribution_lookback_days before it, and after starts_after_at when set;
--   2. attribution_drop_channels: those channels are removed unless nothing would remain;
--   3. attribution_path_transform: none | collapse_repeats (a run of consecutive touches of
--      one channel keeps its first touch) | first_occurrence (each channel's first touch).
-- Ties in time are ordered by touchpoint_id so paths are deterministic.
-- Incremental by account (int_attribution__account_inputs): an account whose fingerprint this
-- table holds keeps its rows; any other account's journeys are computed whole, and the rows of
-- fingerprints no longer current leave (macro attribution_paths_meta).
{{
    config(
        materialized='incremental',
        unique_key=['journey_id', 'touchpoint_id'],
        incremental_strategy=incremental_strategy(),
        meta=attribution_paths_meta(),
    )
}}

{%- set transform = var('attribution_path_transform', 'none') %}
{%- if transform not in ['none', 'collapse_repeats', 'first_occurrence'] %}
    {{ exceptions.raise_compiler_error(
        "attribution_path_transform must be none, collapse_repeats or first_occurrence, got "
        ~ transform) }}
{%- endif %}
{%- set drop_channels = var('attribution_drop_channels', []) %}

with

-- the accounts computed in this run (all of them on a full build), with their fingerprint
recomputed_accounts as (
    {{ recomputed_keys_sql('int_attribution__account_inputs', 'account_id', 'input_fingerprint') }}
),

journeys as (
    select
        all_journeys.journey_id,
        all_journeys.account_id,
        all_journeys.starts_after_at,
        all_journeys.ends_at,
        recomputed_accounts.input_fingerprint
    from {{ ref('int_attribution__journeys') }} as all_journeys
    inner join recomputed_accounts
        on all_journeys.account_id = recomputed_accounts.account_id
),

touchpoints as (
    select
        touchpoint_id,
        occurred_at,
        account_id,
        coalesce(channel, 'other') as channel,
        campaign_id,
        content_id,
        touchpoint_type
    from {{ ref('fct_touchpoints') }}
    where account_id is not null and account_id <> 'unknown'
),

touches_in_window as (
    select
        journeys.journey_id,
        journeys.account_id,
        journeys.input_fingerprint,
        journeys.ends_at,
        touchpoints.touchpoint_id,
        touchpoints.occurred_at,
        touchpoints.channel,
        touchpoints.campaign_id,
        touchpoints.content_id,
        touchpoints.touchpoint_type,
        {{ attribution_in_list('touchpoints.channel', drop_channels) }} as is_dropped_channel
    from journeys
    inner join touchpoints
        on journeys.account_id = touchpoints.account_id
            and journeys.ends_at >= touchpoints.occurred_at
            and touchpoints.occurred_at >= {{ dbt.dateadd('day', -1 * var('attribution_lookback_days', 90), 'journeys.ends_at') }}  -- noqa: LT05
            and (journeys.starts_after_at is null or journeys.starts_after_at < touchpoints.occurred_at)
),

kept_touches_counted as (
    select
        *,
        sum(case when is_dropped_channel then 0 else 1 end)
            over (partition by journey_id) as kept_touch_count
    from touches_in_window
),

channels_dropped as (
    select *
    from kept_touches_counted
    where not is_dropped_channel or kept_touch_count = 0
),

neighbours_found as (
    select
        *,
        lag(channel) over (
            partition by journey_id order by occurred_at, touchpoint_id
        ) as previous_channel,
        row_number() over (
            partition by journey_id, channel order by occurred_at, touchpoint_id
        ) as channel_occurrence
    from channels_dropped
),

transformed as (
    select *
    from neighbours_found
    {%- if transform == 'collapse_repeats' %}
    where previous_channel is null or previous_channel <> channel
    {%- elif transform == 'first_occurrence' %}
    where channel_occurrence = 1
    {%- endif %}
),

final as (
    select
        journey_id,
        touchpoint_id,
        occurred_at,
        channel,
        campaign_id,
        content_id,
        touchpoint_type,
        cast(row_number() over (
            partition by journey_id order by occurred_at, touchpoint_id
        ) as bigint) as path_position,
        cast(count(*) over (partition by journey_id) as bigint) as path_length,
        {{ dbt.datediff('occurred_at', 'ends_at', 'second') }} / 86400 as days_before_conversion,  -- noqa: LT05
        account_id,
        input_fingerprint
    from transformed
)

select * from final
