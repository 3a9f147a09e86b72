-- Markov and Shapley (channel level and per conversion): per conversion type, shares sum to
-- 1, and attributed conversions / revenue equal the conversions with a path and their revenue.
-- Returns the offending rows.
-- Reads several models: shown in Dagster as an asset check of int_attribution__shapley_conversion_credits.
{{ config(meta={'dagster': {'ref': {'name': 'int_attribution__shapley_conversion_credits'}}}) }}

with

conversions as (
    select distinct
        conversion_id,
        conversion_type,
        revenue
    from {{ ref('int_attribution__paths') }}
),

expected as (
    select
        conversion_type,
        count(*) as conversions,
        sum(revenue) as revenue
    from conversions
    group by conversion_type
),

channel_rows as (
    select
        model,
        conversion_type,
        credit_share,
        attributed_conversions,
        attributed_revenue
    from {{ ref('int_attribution__markov_channels') }}
    union all
    select
        model,
        conversion_type,
        credit_share,
        attributed_conversions,
        attributed_revenue
    from {{ ref('int_attribution__shapley_channels') }}
    union all
    select
        model || ':per_conversion' as model,
        conversion_type,
        0 as credit_share,
        credit as attributed_conversions,
        attributed_revenue
    from {{ ref('int_attribution__markov_conversion_credits') }}
    union all
    select
        model || ':per_conversion' as model,
        conversion_type,
        0 as credit_share,
        credit as attributed_conversions,
        attributed_revenue
    from {{ ref('int_attribution__shapley_conversion_credits') }}
),

totals as (
    select
        model,
        conversion_type,
        sum(credit_share) as credit_share,
        sum(attributed_conversions) as attributed_conversions,
        sum(attributed_revenue) as attributed_revenue,
        min(credit_share) as min_credit_share,
        min(attributed_conversions) as min_attributed_conversions
    from channel_rows
    group by model, conversion_type
),

models as (
    select distinct model from totals
),

compared as (
    select
        models.model,
        expected.conversion_type,
        expected.conversions,
        expected.revenue,
        totals.credit_share,
        totals.attributed_conversions,
        totals.attributed_revenue,
        totals.min_credit_share,
        totals.min_attributed_conversions
    from expected
    cross join models
    left join totals
        on models.model = totals.model
            and expected.conversion_type = totals.conversion_type
)

select *
from compared
where attributed_conversions is null
    or abs(attributed_conversions - conversions) > 1e-6
    or abs(attributed_revenue - revenue) > 1e-6 * (1 + abs(revenue))
    or (model not like '%:per_conversion' and abs(credit_share - 1) > 1e-9)
    or min_credit_share < 0
    or min_attributed_conversions < 0
