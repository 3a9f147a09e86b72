-- Invariant: per enabled model (rule based and data driven), every attributable conversion in
-- fct_conversions (lead_created, opportunity_created, closed_won) is credited exactly once in
-- total and its revenue is attributed in full. Tolerance: 1e-9 for the credit; for revenue 1e-6
-- per credited row (touchpoint models round attributed revenue to 6 decimals) plus 1e-9
-- relative. Returns one row per offending model and conversion (so a failure names the
-- conversion, e.g. an opportunity whose amount breaks a model), plus credits of conversions
-- that are not in fct_conversions, and an enabled model with no credits while conversions exist.
-- Reads several models: shown in Dagster as an asset check of mart_attribution_credits.
{{ config(meta={'dagster': {'ref': {'name': 'mart_attribution_credits'}}}) }}

with

conversions as (
    select
        conversion_id,
        conversion_type,
        revenue
    from {{ ref('fct_conversions') }}
    where conversion_type <> 'closed_lost'
),

enabled_models as (
    {%- for name in var('attribution_models') %}
        select '{{ name }}' as model_name
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

credits_by_conversion as (
    select
        model_name,
        conversion_id,
        count(*) as credited_rows,
        sum(credit) as attributed_conversions,
        sum(attributed_revenue) as attributed_revenue
    from {{ ref('mart_attribution_credits') }}
    group by model_name, conversion_id
),

compared as (
    select
        enabled_models.model_name,
        conversions.conversion_id,
        conversions.conversion_type,
        conversions.revenue,
        coalesce(credits_by_conversion.credited_rows, 0) as credited_rows,
        coalesce(credits_by_conversion.attributed_conversions, 0) as attributed_conversions,
        coalesce(credits_by_conversion.attributed_revenue, 0) as attributed_revenue,
        'conversion does not reconcile' as problem
    from enabled_models
    cross join conversions
    left join credits_by_conversion
        on enabled_models.model_name = credits_by_conversion.model_name
            and conversions.conversion_id = credits_by_conversion.conversion_id
),

orphan_credits as (
    select
        credits_by_conversion.model_name,
        credits_by_conversion.conversion_id,
        cast(null as {{ dbt.type_string() }}) as conversion_type,
        cast(null as {{ dbt.type_float() }}) as revenue,
        credits_by_conversion.credited_rows,
        credits_by_conversion.attributed_conversions,
        credits_by_conversion.attributed_revenue,
        'credit for a conversion that is not attributable' as problem
    from credits_by_conversion
    left join conversions
        on credits_by_conversion.conversion_id = conversions.conversion_id
    where conversions.conversion_id is null
)

select *
from compared
where abs(attributed_conversions - 1) > 1e-9
    or abs(attributed_revenue - coalesce(revenue, 0))
    > 1e-6 * credited_rows + 1e-9 * abs(coalesce(revenue, 0))
union all
select * from orphan_credits
