-- One row per account and stage entered, with the move that led into it and out of it.
with

intervals as (

    select * from {{ ref('int_journey_stage_intervals') }}

),

stages as (

    select
        stage,
        stage_order
    from {{ ref('journey_stages') }}

),

as_of as (

    select as_of_at from {{ ref('int_journey_as_of') }}

),

final as (

    select
        intervals.account_id || '-' || cast(intervals.stage_entry_number as {{ dbt.type_string() }})
            as journey_stage_id,
        intervals.account_id,
        intervals.stage_entry_number,
        intervals.stage,
        intervals.stage_order,
        previous_stages.stage as previous_stage,
        next_stages.stage as next_stage,
        intervals.entered_at,
        intervals.left_at,
        {{ dbt.datediff('intervals.entered_at', 'coalesce(intervals.left_at, as_of.as_of_at)', 'second') }} / 86400  -- noqa: LT05
            as days_in_stage,
        intervals.left_at is null as is_current,
        coalesce(intervals.next_stage_order > intervals.stage_order, false) as is_left_forward,
        intervals.direction,
        intervals.move_reason,
        intervals.trigger_id,
        intervals.triggering_touchpoint_id,
        intervals.entry_score
    from intervals
    cross join as_of
    left join stages as previous_stages
        on intervals.previous_stage_order = previous_stages.stage_order
    left join stages as next_stages
        on intervals.next_stage_order = next_stages.stage_order

)

{{ select_contract_columns('final') }}
