-- Per attribution model, month and campaign: as mart_attribution_channels, for touches that
-- carry a campaign_id. Data-driven models credit channels, not campaigns, so they are not
-- here; touches without a campaign are not here either (see the channel mart for totals).
-- Spend matches on campaign_id (the ad export's id equals the touchpoint's campaign_id).
-- campaign_name: the ad export's name for the month, else the touchpoints' (macro
-- attribution_spend_metrics computes the grid, sums and ratios, as for the channel mart).

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

{{ attribution_spend_metrics(
    grain='campaign',
    dimension='campaign_id',
    name_column='campaign_name',
    names='touchpoint_campaigns'
) }}

{{ select_contract_columns('final') }}
