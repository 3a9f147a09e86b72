-- Accounts that need sales attention (high recent engagement in Evaluation or Ready to Buy),
-- one row per touchpoint that earned the alert.
with

alert_touchpoints as (

    select * from {{ ref('int_journey_sales_alert_touchpoints') }}

),

accounts as (

    select
        account_id,
        account_name
    from {{ ref('dim_accounts') }}

),

final as (

    select
        alert_touchpoints.touchpoint_id,
        alert_touchpoints.account_id,
        accounts.account_name,
        alert_touchpoints.stage as current_stage,
        alert_touchpoints.recent_touchpoints,
        alert_touchpoints.occurred_at,
        alert_touchpoints.channel,
        alert_touchpoints.touchpoint_type,
        alert_touchpoints.content_type,
        alert_touchpoints.touchpoint_score,
        alert_touchpoints.points
    from alert_touchpoints
    left join accounts
        on alert_touchpoints.account_id = accounts.account_id

)

{{ select_contract_columns('final') }}
