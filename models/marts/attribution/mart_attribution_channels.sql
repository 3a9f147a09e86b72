-- Per attribution model, month and channel: attributed conversions by type, revenue and
-- pipeline (credit-weighted), influenced opportunities and pipeline (opportunities whose path
-- touched the channel at least once; the same under every model), ad spend and the ratios.
-- month_start is the conversion month for credits and influence, the spend month for spend.
-- The grid, sums and ratios are shared with mart_attribution_campaigns (macro
-- attribution_spend_metrics); only the inputs are this mart's own.

with

credits as (
    select
        model_name,
        conversion_month,
        channel,
        conversion_type,
        credit,
        attributed_revenue,
        attributed_pipeline
    from {{ ref('mart_attribution_credits') }}
),

influenced as (
    select distinct
        conversion_month,
        channel,
        opportunity_id,
        pipeline_amount
    from {{ ref('int_attribution__influenced_opportunities') }}
),

spend_monthly as (
    select
        month_start,
        channel,
        spend
    from {{ ref('int_attribution__spend_monthly') }}
),

enabled_models as (
    {%- for name in var('attribution_models') %}
        select '{{ name }}' as model_name
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

{{ attribution_spend_metrics(grain='channel', dimension='channel') }}
{{ select_contract_columns('final') }}
