-- Per attribution model, month and campaign: as mart_attribution_channels, for touches that
-- carry a campaign_id. Data-driven models credit channels, not campaigns, so they are not
-- here; touches without a campaign are not here either (see the channel mart for totals).
-- Spend matches on campaign_id (the ad export's id equals the touchpoint's campaign_id).

with

credits as (
    select model_name, conversion_month, campaign_id, conversion_type, credit, attributed_revenue, attributed_pipeline
    from {{ ref('mart_attribution_credits') }}
    where campaign_id is not null
),

influenced as (
    select distinct conversion_month, campaign_id, opportunity_id, pipeline_amount
    from {{ ref('int_attribution__influenced_opportunities') }}
    where campaign_id is not null
),

spend_monthly as (
    select month_start, campaign_id, campaign_name, spend
    from {{ ref('int_attribution__spend_monthly') }}
),

touchpoint_campaigns as (
    select campaign_id, max(campaign_name) as campaign_name
    from {{ ref('fct_touchpoints') }}
    where campaign_id is not null
    group by campaign_id
),

enabled_models as (
    {%- for name in var('attribution_models') if name not in ['markov', 'shapley'] %}
    select '{{ name }}' as model_name
    {% if not loop.last %}union all{% endif %}
    {%- else %}
    select cast(null as {{ dbt.type_string() }}) as model_name where 1 = 0
    {%- endfor %}
),

credits_by_campaign as (
    select
        model_name,
        conversion_month as month_start,
        campaign_id,
        sum(case when conversion_type = 'lead_created' then credit else 0 end) as attributed_leads,
        sum(case when conversion_type = 'opportunity_created' then credit else 0 end)
            as attributed_opportunities,
        sum(case when conversion_type = 'closed_won' then credit else 0 end) as attributed_won_deals,
        sum(attributed_revenue) as attributed_revenue,
        sum(attributed_pipeline) as attributed_pipeline
    from credits
    group by model_name, conversion_month, campaign_id
),

influence_by_campaign as (
    select
        conversion_month as month_start,
        campaign_id,
        count(*) as influenced_opportunities,
        sum(pipeline_amount) as influenced_pipeline
    from influenced
    group by conversion_month, campaign_id
),

spend_by_campaign as (
    select month_start, campaign_id, max(campaign_name) as campaign_name, sum(spend) as spend
    from spend_monthly
    group by month_start, campaign_id
),

month_campaigns as (
    select month_start, campaign_id from influence_by_campaign
    union
    select month_start, campaign_id from spend_by_campaign
),

grid as (
    select model_name, month_start, campaign_id from credits_by_campaign
    union
    select enabled_models.model_name, month_campaigns.month_start, month_campaigns.campaign_id
    from enabled_models
    cross join month_campaigns
),

joined as (
    select
        grid.model_name,
        grid.month_start,
        grid.campaign_id,
        coalesce(spend_by_campaign.campaign_name, touchpoint_campaigns.campaign_name) as campaign_name,
        coalesce(credits_by_campaign.attributed_leads, 0) as attributed_leads,
        coalesce(credits_by_campaign.attributed_opportunities, 0) as attributed_opportunities,
        coalesce(credits_by_campaign.attributed_won_deals, 0) as attributed_won_deals,
        coalesce(credits_by_campaign.attributed_revenue, 0) as attributed_revenue,
        coalesce(credits_by_campaign.attributed_pipeline, 0) as attributed_pipeline,
        coalesce(influence_by_campaign.influenced_opportunities, 0) as influenced_opportunities,
        coalesce(influence_by_campaign.influenced_pipeline, 0) as influenced_pipeline,
        coalesce(spend_by_campaign.spend, 0) as spend
    from grid
    left join credits_by_campaign
        on grid.model_name = credits_by_campaign.model_name
        and grid.month_start = credits_by_campaign.month_start
        and grid.campaign_id = credits_by_campaign.campaign_id
    left join influence_by_campaign
        on grid.month_start = influence_by_campaign.month_start
        and grid.campaign_id = influence_by_campaign.campaign_id
    left join spend_by_campaign
        on grid.month_start = spend_by_campaign.month_start
        and grid.campaign_id = spend_by_campaign.campaign_id
    left join touchpoint_campaigns
        on grid.campaign_id = touchpoint_campaigns.campaign_id
),

final as (
    select
        model_name || ':' || cast(month_start as {{ dbt.type_string() }}) || ':' || campaign_id
            as campaign_month_id,
        model_name,
        month_start,
        campaign_id,
        campaign_name,
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
