-- A simple, explainable forecast of each account's next stage move. Heuristic: the account
-- keeps adding score at its pace of the last journey_forecast_window_days days
-- (pace = scale * points / days). Under decay with half-life h the score then tends to
-- steady = pace * h / ln 2 and reaches a target T < steady after
-- ln((steady - score) / (steady - T)) * h / ln 2 days. Triggers and the stakeholder bonus are
-- ignored; null days = not reached at the current pace.
with

journeys as (

    select
        account_id,
        current_stage,
        current_stage_order,
        journey_score
    from {{ ref('mart_journeys') }}

),

stages as (

    select
        stage,
        stage_order,
        score_min
    from {{ ref('journey_stages') }}

),

touchpoints as (

    select
        account_id,
        occurred_at,
        points
    from {{ ref('int_journey_touchpoints_weighted') }}

),

as_of as (

    select as_of_at from {{ ref('int_journey_as_of') }}

),

recent_points as (

    select
        touchpoints.account_id,
        {{ sum_exact('touchpoints.points') }} as points_in_window
    from touchpoints
    cross join as_of
    where {{ dbt.datediff('touchpoints.occurred_at', 'as_of.as_of_at', 'second') }}
        < {{ var('journey_forecast_window_days') }} * 86400
    group by 1

),

paced as (

    select
        journeys.*,
        next_stages.stage as next_stage,
        next_stages.score_min as next_stage_score_min,
        {{ var('journey_score_scale') }} * coalesce(recent_points.points_in_window, 0)
        / {{ var('journey_forecast_window_days') }} as score_pace_per_day
    from journeys
    left join stages as next_stages
        on journeys.current_stage_order + 1 = next_stages.stage_order
    left join recent_points
        on journeys.account_id = recent_points.account_id

),

with_steady_score as (

    select
        *,
        score_pace_per_day * {{ var('journey_half_life_days') }} / ln(2) as steady_score_at_pace
    from paced

),

final as (

    select
        *,
        case
            when next_stage is null then null
            when journey_score >= next_stage_score_min then 0
            when steady_score_at_pace <= next_stage_score_min then null
            else {{ round_half_up(
                "ln((steady_score_at_pace - journey_score) / (steady_score_at_pace - next_stage_score_min))
                * " ~ var('journey_half_life_days') ~ " / ln(2)",
                1
            ) }}
        end as expected_days_to_next_stage,
        case
            when next_stage is null then 'top stage'
            when journey_score >= next_stage_score_min or steady_score_at_pace > next_stage_score_min
                then 'reached at current pace'
            else 'not reached at current pace'
        end as forecast
    from with_steady_score

)

{{ select_contract_columns('final') }}
