-- Per attribution model, month and channel: attributed conversions by type, revenue and
-- pipeline (credit-weighted), influenced opportunities and pipeline (opportunities whose path
-- touched the channel at least once; the same under every model), ad spend and the ratios.
-- month_start is the conversion month for credits and influence, the spend month for spend.

with

credits as (
    select model_name, conversion_month, channel, conversion_type, credit, attributed_revenue, attributed_pipeline
    from {{ ref('mart_attribution_credits') }}
),

influenced as (
    select distinct conversion_month, channel, opportunity_id, pipeline_amount
    from {{ ref('int_attribution__influenced_opportunities') }}
),

spend_monthly as (
    select month_start, channel, spend
    from {{ ref('int_attribution__spend_monthly') }}
),

enabled_models as (
    {%- for name in var('attribution_models') %}
    select '{{ name }}' as model_name
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

credits_by_channel as (
    select
        model_name,
        conversion_month as month_start,
        channel,
        sum(case when conversion_type = 'lead_created' then credit else 0 end) as attributed_leads,
        sum(case when conversion_type = 'opportunity_created' then credit else 0 end)
            as attributed_opportunities,
        sum(case when conversion_type = 'closed_won' then credit else 0 end) as attributed_won_deals,
        sum(attributed_revenue) as attributed_revenue,
        sum(attributed_pipeline) as attributed_pipeline
    from credits
    group by model_name, conversion_month, channel
),

influence_by_channel as (
    select
        conversion_month as month_start,
        channel,
        count(*) as influenced_opportunities,
        sum(pipeline_amount) as influenced_pipeline
    from influenced
    group by conversion_month, channel
),

spend_by_channel as (
    select month_start, channel, sum(spend) as spend
    from spend_monthly
    group by month_start, channel
),

month_channels as (
    select month_start, channel from influence_by_channel
    union
    select month_start, channel from spend_by_channel
),

grid as (
    select model_name, month_start, channel from credits_by_channel
    union
    select enabled_models.model_name, month_channels.month_start, month_channels.channel
    from enabled_models
    cross join month_channels
),

joined as (
    select
        grid.model_name,
        grid.month_start,
        grid.channel,
        coalesce(credits_by_channel.attributed_leads, 0) as attributed_leads,
        coalesce(credits_by_channel.attributed_opportunities, 0) as attributed_opportunities,
        coalesce(credits_by_channel.attributed_won_deals, 0) as attributed_won_deals,
        coalesce(credits_by_channel.attributed_revenue, 0) as attributed_revenue,
        coalesce(credits_by_channel.attributed_pipeline, 0) as attributed_pipeline,
        coalesce(influence_by_channel.influenced_opportunities, 0) as influenced_opportunities,
        coalesce(influence_by_channel.influenced_pipeline, 0) as influenced_pipeline,
        coalesce(spend_by_channel.spend, 0) as spend
    from grid
    left join credits_by_channel
        on grid.model_name = credits_by_channel.model_name
        and grid.month_start = credits_by_channel.month_start
        and grid.channel = credits_by_channel.channel
    left join influence_by_channel
        on grid.month_start = influence_by_channel.month_start
        and grid.channel = influence_by_channel.channel
    left join spend_by_channel
        on grid.month_start = spend_by_channel.month_start
        and grid.channel = spend_by_channel.channel
),

final as (
    select
        model_name || ':' || cast(month_start as {{ dbt.type_string() }}) || ':' || channel
            as channel_month_id,
        model_name,
        month_start,
        channel,
        cast(attributed_leads as double) as attributed_leads,
        cast(attributed_opportunities as double) as attributed_opportunities,
        cast(attributed_won_deals as double) as attributed_won_deals,
        cast(attributed_revenue as double) as attributed_revenue,
        cast(attributed_pipeline as double) as attributed_pipeline,
        cast(influenced_opportunities as bigint) as influenced_opportunities,
        cast(influenced_pipeline as double) as influenced_pipeline,
        cast(spend as double) as spend,
        cast(attributed_revenue / nullif(spend, 0) as double) as roas,
        cast(spend / nullif(attributed_leads, 0) as double) as cost_per_attributed_lead,
        cast(spend / nullif(attributed_opportunities, 0) as double) as cost_per_attributed_opportunity,
        cast(spend / nullif(attributed_won_deals, 0) as double) as cost_per_attributed_won_deal
    from joined
)

select * from final
