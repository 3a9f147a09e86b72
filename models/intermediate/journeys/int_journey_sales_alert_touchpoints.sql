-- The touchpoints that earn an account a sales-attention alert: the account is now in a stage
-- of order >= journey_alert_min_stage_order and has at least journey_alert_min_touchpoints
-- touchpoints in the last journey_alert_window_days days; those recent touchpoints are listed.
with

current_stages as (

    select
        account_id,
        stage,
        stage_order
    from {{ ref('int_journey_stage_intervals') }}
    where left_at is null

),

touchpoints as (

    select
        touchpoint_id,
        account_id,
        occurred_at,
        channel,
        touchpoint_type,
        content_type,
        touchpoint_score,
        points
    from {{ ref('int_journey_touchpoints_weighted') }}

),

as_of as (

    select as_of_at from {{ ref('int_journey_as_of') }}

),

recent_touchpoints as (

    select
        touchpoints.*,
        current_stages.stage,
        count(*) over (partition by touchpoints.account_id) as recent_touchpoints
    from touchpoints
    cross join as_of
    inner join current_stages
        on touchpoints.account_id = current_stages.account_id
    where current_stages.stage_order >= {{ var('journey_alert_min_stage_order') }}
        and {{ dbt.datediff('touchpoints.occurred_at', 'as_of.as_of_at', 'second') }}
        < {{ var('journey_alert_window_days') }} * 86400

),

final as (

    select * from recent_touchpoints
    where recent_touchpoints >= {{ var('journey_alert_min_touchpoints') }}

)

select * from final
