-- Per attribution model and content asset: the pipeline, revenue and conversions its touches
-- earned, and the opportunities (and pipeline) it influenced. Touchpoint-level models only
-- (data-driven models credit channels).

with

credits as (
    select
        model_name,
        content_id,
        conversion_type,
        credit,
        attributed_revenue,
        attributed_pipeline
    from {{ ref('mart_attribution_credits') }}
    where content_id is not null
),

influenced as (
    select distinct
        content_id,
        opportunity_id,
        pipeline_amount
    from {{ ref('int_attribution__influenced_opportunities') }}
    where content_id is not null
),

assets as (
    select
        content_id,
        title,
        content_type,
        topic
    from {{ ref('stg_content__assets') }}
),

credits_by_content as (
    select
        model_name,
        content_id,
        {{ sum_exact("case when conversion_type = 'lead_created' then credit else 0 end") }} as attributed_leads,
        {{ sum_exact("case when conversion_type = 'opportunity_created' then credit else 0 end") }}
            as attributed_opportunities,
        {{ sum_exact("case when conversion_type = 'closed_won' then credit else 0 end") }} as attributed_won_deals,
        {{ sum_exact('attributed_pipeline') }} as attributed_pipeline,
        {{ sum_exact('attributed_revenue') }} as attributed_revenue
    from credits
    group by model_name, content_id
),

influence_by_content as (
    select
        content_id,
        count(*) as influenced_opportunities,
        {{ sum_exact('pipeline_amount') }} as influenced_pipeline
    from influenced
    group by content_id
),

final as (
    select
        credits_by_content.model_name || ':' || credits_by_content.content_id as content_credit_id,
        credits_by_content.model_name,
        credits_by_content.content_id,
        assets.title as content_title,
        assets.content_type,
        assets.topic as content_topic,
        cast(credits_by_content.attributed_leads as double) as attributed_leads,
        cast(credits_by_content.attributed_opportunities as double) as attributed_opportunities,
        cast(credits_by_content.attributed_won_deals as double) as attributed_won_deals,
        cast(credits_by_content.attributed_pipeline as double) as attributed_pipeline,
        cast(credits_by_content.attributed_revenue as double) as attributed_revenue,
        cast(coalesce(influence_by_content.influenced_opportunities, 0) as bigint)
            as influenced_opportunities,
        cast(coalesce(influence_by_content.influenced_pipeline, 0) as double) as influenced_pipeline,
        cast(rank() over (
            partition by credits_by_content.model_name
            order by credits_by_content.attributed_pipeline desc
        ) as bigint) as pipeline_rank
    from credits_by_content
    left join influence_by_content
        on credits_by_content.content_id = influence_by_content.content_id
    left join assets
        on credits_by_content.content_id = assets.content_id
)

{{ select_contract_columns('final') }}
