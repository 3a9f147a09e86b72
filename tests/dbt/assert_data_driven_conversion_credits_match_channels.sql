-- The per-conversion splits of Markov (the chain's credit share for every channel of the
-- conversion type) and Shapley (1 / distinct channels on the path)
-- must add up, per conversion type and channel, to the channel-level results (the chain's
-- attributed numbers; the exact Shapley values from coalition enumeration).
-- Returns the channels where the two disagree.
-- Reads several models: shown in Dagster as an asset check of int_attribution__markov_conversion_credits.
{{ config(meta={'dagster': {'ref': {'name': 'int_attribution__markov_conversion_credits'}}}) }}

with

per_conversion_credits as (
    select
        model,
        conversion_type,
        channel,
        credit,
        attributed_revenue
    from {{ ref('int_attribution__markov_conversion_credits') }}
    union all
    select
        model,
        conversion_type,
        channel,
        credit,
        attributed_revenue
    from {{ ref('int_attribution__shapley_conversion_credits') }}
),

per_conversion as (
    select
        model,
        conversion_type,
        channel,
        sum(credit) as attributed_conversions,
        sum(attributed_revenue) as attributed_revenue
    from per_conversion_credits
    group by model, conversion_type, channel
),

channel_level as (
    select
        model,
        conversion_type,
        channel,
        attributed_conversions,
        attributed_revenue
    from {{ ref('int_attribution__markov_channels') }}
    union all
    select
        model,
        conversion_type,
        channel,
        attributed_conversions,
        attributed_revenue
    from {{ ref('int_attribution__shapley_channels') }}
),

compared as (
    select
        coalesce(per_conversion.model, channel_level.model) as model,
        coalesce(per_conversion.conversion_type, channel_level.conversion_type) as conversion_type,
        coalesce(per_conversion.channel, channel_level.channel) as channel,
        coalesce(per_conversion.attributed_conversions, 0) as per_conversion_conversions,
        coalesce(channel_level.attributed_conversions, 0) as channel_level_conversions,
        coalesce(per_conversion.attributed_revenue, 0) as per_conversion_revenue,
        coalesce(channel_level.attributed_revenue, 0) as channel_level_revenue
    from per_conversion
    full outer join channel_level
        on per_conversion.model = channel_level.model
            and per_conversion.conversion_type = channel_level.conversion_type
            and per_conversion.channel = channel_level.channel
)

select *
from compared
where abs(per_conversion_conversions - channel_level_conversions) > 1e-6
    or abs(per_conversion_revenue - channel_level_revenue) > 1e-6 * (1 + abs(channel_level_revenue))
