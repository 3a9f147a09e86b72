-- Ad spend per month, channel and campaign. The export's channel wins; when it is empty the
-- platform is mapped with attribution_platform_channels ('other' if unmapped).
-- Spend is summed exactly (macro sum_exact): a plain sum of doubles depends on the order the
-- engine adds the daily rows in, and the cost per attributed lead / opportunity / won deal then
-- flipped a cent between an incremental run and a full refresh at 10M web events.

{%- set platform_channels = var('attribution_platform_channels', {}) %}

with

daily_spend as (
    select
        spend_date,
        platform,
        campaign_id,
        campaign_name,
        channel,
        spend
    from {{ ref('stg_ads__daily_spend') }}
),

channels_filled as (
    select
        cast({{ dbt.date_trunc('month', 'spend_date') }} as date) as month_start,
        coalesce(
            channel,
            case platform
                {%- for platform, mapped in platform_channels.items() %}
                    when '{{ platform }}' then '{{ mapped }}'
                {%- endfor %}
                else 'other'
            end
        ) as channel,
        campaign_id,
        campaign_name,
        coalesce(spend, 0) as spend
    from daily_spend
),

final as (
    select
        month_start,
        channel,
        campaign_id,
        max(campaign_name) as campaign_name,
        {{ sum_exact("spend") }} as spend
    from channels_filled
    group by month_start, channel, campaign_id
)

select * from final
