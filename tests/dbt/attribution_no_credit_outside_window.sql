-- Invariant: no credited touchpoint happened after its conversion, before the lookback window
-- (attribution_lookback_days), or on another account. Returns the offending credits.
-- Reads several models: shown in Dagster as an asset check of mart_attribution_credits.
{{ config(meta={'dagster': {'ref': {'name': 'mart_attribution_credits'}}}) }}

with

credits as (
    select
        credit_id,
        conversion_id,
        converted_at,
        account_id,
        touchpoint_id
    from {{ ref('mart_attribution_credits') }}
    where touchpoint_id is not null
),

touchpoints as (
    select
        touchpoint_id,
        occurred_at,
        account_id
    from {{ ref('fct_touchpoints') }}
),

joined as (
    select
        credits.credit_id,
        credits.converted_at,
        credits.account_id as conversion_account_id,
        touchpoints.touchpoint_id,
        touchpoints.occurred_at,
        touchpoints.account_id as touchpoint_account_id
    from credits
    left join touchpoints
        on credits.touchpoint_id = touchpoints.touchpoint_id
)

select *
from joined
where touchpoint_id is null
    or occurred_at > converted_at
    or occurred_at < {{ dbt.dateadd('day', -1 * var('attribution_lookback_days', 90), 'converted_at') }}
    or touchpoint_account_id <> conversion_account_id
