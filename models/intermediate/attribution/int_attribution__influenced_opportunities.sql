-- Model-independent influence: one row per opportunity_created conversion and each channel,
-- campaign and content asset touched at least once on its path ('unattributed' channel when
-- the path is empty). Feeds influenced_opportunities / influenced_pipeline in the marts.

with

opportunities as (
    select
        conversion_id,
        opportunity_id,
        converted_at,
        pipeline_amount
    from {{ ref('fct_conversions') }}
    where conversion_type = 'opportunity_created'
),

paths as (
    select
        conversion_id,
        channel,
        campaign_id,
        content_id
    from {{ ref('int_attribution__paths') }}
    where conversion_type = 'opportunity_created'
),

touched as (
    select distinct
        opportunities.conversion_id,
        opportunities.opportunity_id,
        cast({{ dbt.date_trunc('month', 'opportunities.converted_at') }} as date) as conversion_month,
        opportunities.pipeline_amount,
        coalesce(paths.channel, 'unattributed') as channel,
        paths.campaign_id,
        paths.content_id
    from opportunities
    left join paths
        on opportunities.conversion_id = paths.conversion_id
),

final as (
    select * from touched
)

select * from final
