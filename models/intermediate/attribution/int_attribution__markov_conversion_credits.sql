-- Markov credit per conversion and channel, so the marts can slice Markov by month, account
-- or campaign while adding up exactly to the chain.
--
-- The first-order chain (int_attribution__markov_channels) is global: its removal effects
-- say how much of a conversion type each channel earns across all journeys, not which
-- conversions. A channel can earn credit without being on a given converting path (the
-- chain lets it lead, through other channels, to conversion), so no split restricted to each
-- conversion's own path can always meet the chain's channel totals. We therefore give every
-- conversion of a type the chain's credit_share for every channel of that type: credits sum
-- to 1 per conversion, and per channel to the chain's attributed_conversions (and revenue)
-- exactly. Markov is channel level: it credits no touchpoint.

with

conversions as (
    select distinct
        conversion_id,
        conversion_type,
        converted_at,
        account_id,
        revenue
    from {{ ref('int_attribution__paths') }}
),

chain_shares as (
    select
        conversion_type,
        channel,
        credit_share
    from {{ ref('int_attribution__markov_channels') }}
),

final as (
    select
        'markov' as model,
        conversions.conversion_id,
        conversions.conversion_type,
        conversions.converted_at,
        conversions.account_id,
        chain_shares.channel,
        chain_shares.credit_share as credit,
        conversions.revenue * chain_shares.credit_share as attributed_revenue
    from conversions
    inner join chain_shares
        on conversions.conversion_type = chain_shares.conversion_type
)

select * from final
