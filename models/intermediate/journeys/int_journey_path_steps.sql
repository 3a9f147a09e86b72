-- The ordered touchpoints of each account's journey, up to its first closed-won opportunity
-- (inclusive) or the "as of" time, with the days since the previous step.
with

touchpoints as (

    select
        touchpoint_id,
        account_id,
        occurred_at,
        channel,
        touchpoint_type
    from {{ ref('int_journey_touchpoints_weighted') }}

),

outcomes as (

    select
        account_id,
        first_won_at,
        opportunity_outcome
    from {{ ref('int_journey_outcomes') }}

),

journey_touchpoints as (

    select
        touchpoints.*,
        outcomes.first_won_at as converted_at,
        coalesce(outcomes.opportunity_outcome, 'open') as outcome
    from touchpoints
    left join outcomes
        on touchpoints.account_id = outcomes.account_id
    where outcomes.first_won_at is null or touchpoints.occurred_at <= outcomes.first_won_at

),

final as (

    select
        *,
        row_number() over (partition by account_id order by occurred_at, touchpoint_id) as step_number,
        {{ dbt.datediff(
            'lag(occurred_at) over (partition by account_id order by occurred_at, touchpoint_id)',
            'occurred_at',
            'second'
        ) }} / 86400 as days_since_previous_step
    from journey_touchpoints

)

select * from final
