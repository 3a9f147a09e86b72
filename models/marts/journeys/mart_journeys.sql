-- One row per known account: where it stands in its buyer journey and how it got there.
with

accounts as (

    select
        account_id,
        account_name
    from {{ ref('dim_accounts') }}
    where not is_unknown

),

activity as (

    select * from {{ ref('int_journey_account_activity') }}

),

current_stages as (

    select
        account_id,
        stage,
        stage_order,
        entered_at
    from {{ ref('int_journey_stage_intervals') }}
    where left_at is null

),

as_of as (

    select as_of_at from {{ ref('int_journey_as_of') }}

),

current_scores as (

    select
        scores.account_id,
        scores.journey_score
    from {{ ref('int_journey_scores_decayed') }} as scores
    inner join as_of
        on scores.evaluated_at = as_of.as_of_at

),

outcomes as (

    select
        account_id,
        opportunity_outcome,
        first_won_at
    from {{ ref('int_journey_outcomes') }}

),

alerts as (

    select
        account_id,
        count(*) as sales_alert_touchpoints
    from {{ ref('int_journey_sales_alert_touchpoints') }}
    group by 1

),

final as (

    select
        accounts.account_id,
        accounts.account_name,
        current_stages.stage as current_stage,
        current_stages.stage_order as current_stage_order,
        {{ round_half_up('coalesce(current_scores.journey_score, 0)', 2) }} as journey_score,
        current_stages.entered_at as current_stage_entered_at,
        {{ dbt.datediff('current_stages.entered_at', 'as_of.as_of_at', 'second') }} / 86400  -- noqa: LT05
            as days_in_current_stage,
        activity.first_touch_at,
        activity.first_touch_channel,
        activity.first_touch_type,
        activity.last_touch_at,
        activity.last_touch_channel,
        activity.last_touch_type,
        coalesce(activity.touchpoints, 0) as touchpoints,
        coalesce(activity.engaged_contacts, 0) as engaged_contacts,
        coalesce(activity.channels_touched, 0) as channels_touched,
        activity.channel_list,
        activity.days_since_first_touch,
        coalesce(activity.touchpoints_last_7d, 0) as touchpoints_last_7d,
        coalesce(activity.touchpoints_last_30d, 0) as touchpoints_last_30d,
        coalesce(activity.touchpoints_prior_30d, 0) as touchpoints_prior_30d,
        case
            when coalesce(activity.touchpoints_last_30d, 0) > coalesce(activity.touchpoints_prior_30d, 0) then 'rising'
            when coalesce(activity.touchpoints_last_30d, 0) < coalesce(activity.touchpoints_prior_30d, 0) then 'falling'
            else 'steady'
        end as velocity_trend,
        outcomes.opportunity_outcome,
        outcomes.first_won_at,
        alerts.account_id is not null as needs_sales_attention,
        coalesce(alerts.sales_alert_touchpoints, 0) as sales_alert_touchpoints,
        as_of.as_of_at
    from accounts
    cross join as_of
    inner join current_stages
        on accounts.account_id = current_stages.account_id
    left join activity
        on accounts.account_id = activity.account_id
    left join current_scores
        on accounts.account_id = current_scores.account_id
    left join outcomes
        on accounts.account_id = outcomes.account_id
    left join alerts
        on accounts.account_id = alerts.account_id

)

{{ select_contract_columns('final') }}
