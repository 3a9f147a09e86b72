-- Shapley credit per conversion and channel, so the marts can slice Shapley by month,
-- account or campaign. In the subset game of int_attribution__shapley_channels a channel's
-- Shapley value is exactly the sum, over conversions, of 1 / (distinct channels on the path)
-- for the paths it is on, so this split reproduces the channel-level values exactly (per
-- channel and in total); attributed_revenue = revenue * credit likewise sums to the
-- revenue-game values.
-- Built after the channel-level model, which enforces attribution_shapley_max_channels:
-- depends_on: {{ ref('int_attribution__shapley_channels') }}

with

paths as (
    select
        conversion_id,
        conversion_type,
        converted_at,
        account_id,
        revenue,
        channel
    from {{ ref('int_attribution__paths') }}
),

conversion_channels as (
    select distinct
        conversion_id,
        conversion_type,
        converted_at,
        account_id,
        revenue,
        channel
    from paths
),

channels_counted as (
    select
        *,
        count(*) over (partition by conversion_id) as path_channel_count
    from conversion_channels
),

final as (
    select
        'shapley' as model,
        conversion_id,
        conversion_type,
        converted_at,
        account_id,
        channel,
        1 / path_channel_count as credit,
        revenue / path_channel_count as attributed_revenue
    from channels_counted
)

select * from final
