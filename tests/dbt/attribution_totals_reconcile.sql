-- Invariant: per enabled model (rule based and data driven), attributed conversions equal the
-- number of attributable conversions in fct_conversions (lead_created, opportunity_created,
-- closed_won) and attributed revenue equals the CRM's won revenue. Tolerance: 1e-9 per
-- conversion for counts; for revenue 1e-6 per credited row (touchpoint models round
-- attributed revenue to 6 decimals) plus 1e-9 relative. Returns the models that do not
-- reconcile, including an enabled model with no credits while conversions exist.

with

conversions as (
    select
        count(*) as conversion_count,
        sum(revenue) as won_revenue
    from {{ ref('fct_conversions') }}
    where conversion_type <> 'closed_lost'
),

enabled_models as (
    {%- for name in var('attribution_models') %}
    select '{{ name }}' as model_name
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

credits_by_model as (
    select
        model_name,
        count(*) as credited_rows,
        sum(credit) as attributed_conversions,
        sum(attributed_revenue) as attributed_revenue
    from {{ ref('mart_attribution_credits') }}
    group by model_name
),

compared as (
    select
        enabled_models.model_name,
        conversions.conversion_count,
        conversions.won_revenue,
        coalesce(credits_by_model.credited_rows, 0) as credited_rows,
        coalesce(credits_by_model.attributed_conversions, 0) as attributed_conversions,
        coalesce(credits_by_model.attributed_revenue, 0) as attributed_revenue
    from enabled_models
    cross join conversions
    left join credits_by_model
        on enabled_models.model_name = credits_by_model.model_name
)

select *
from compared
where abs(attributed_conversions - conversion_count) > 1e-9 * (conversion_count + 1)
    or abs(attributed_revenue - coalesce(won_revenue, 0))
        > 1e-6 * credited_rows + 1e-9 * abs(coalesce(won_revenue, 0))
