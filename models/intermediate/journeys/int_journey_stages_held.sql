-- The stage of each account at each checkpoint, with hysteresis so that accounts do not flap
-- across a band edge. Forward moves are immediate: the stage rises to entry_stage_order (score
-- band or fresh trigger). An account stays at or above a stage s until its hold_stage_order
-- (score band widened downwards by journey_fall_back_margin, or a fresh trigger) has been below
-- s at every checkpoint for journey_fall_back_after_days days; then it falls back to the
-- highest stage it still holds.
--
-- That rule looks sequential (each stage depends on the previous one), but it is set-based:
-- "the account is at s or above" is an on/off latch per stage s, set at a checkpoint where
-- entry >= s and reset at one where hold < s has lasted journey_fall_back_after_days days (never
-- both at once, as entry <= hold). A latch is on when its latest set is later than its latest
-- reset (two running maxima), and the stage is the highest stage whose latch is on. Latches are
-- nested (on for s implies on for every lower stage), so this equals the step-by-step result.
with

evaluated as (

    select * from {{ ref('int_journey_stages_evaluated') }}

),

stages as (

    select
        stage,
        stage_order
    from {{ ref('journey_stages') }}

),

latch_inputs as (

    select
        evaluated.account_id,
        evaluated.evaluated_at,
        stages.stage_order as latch_stage_order,
        evaluated.stage_order >= stages.stage_order as is_set,
        evaluated.hold_stage_order < stages.stage_order as is_below
    from evaluated
    cross join stages

),

below_runs as (

    -- A run of checkpoints below the latch's stage starts after each checkpoint that is not.
    select
        *,
        sum(case when is_below then 0 else 1 end) over (
            partition by account_id, latch_stage_order
            order by evaluated_at
            rows between unbounded preceding and current row
        ) as run_number
    from latch_inputs

),

below_since as (

    select
        *,
        min(case when is_below then evaluated_at end) over (
            partition by account_id, latch_stage_order, run_number
            order by evaluated_at
            rows between unbounded preceding and current row
        ) as below_since_at
    from below_runs

),

latch_events as (

    select
        account_id,
        evaluated_at,
        latch_stage_order,
        case when is_set then evaluated_at end as set_at,
        case
            when is_below
                and {{ dbt.datediff('below_since_at', 'evaluated_at', 'second') }}
                >= {{ var('journey_fall_back_after_days') }} * 86400
                then evaluated_at
        end as reset_at
    from below_since

),

latches as (

    select
        account_id,
        evaluated_at,
        latch_stage_order,
        max(set_at) over (
            partition by account_id, latch_stage_order
            order by evaluated_at
            rows between unbounded preceding and current row
        ) as last_set_at,
        max(reset_at) over (
            partition by account_id, latch_stage_order
            order by evaluated_at
            rows between unbounded preceding and current row
        ) as last_reset_at
    from latch_events

),

held_stages as (

    select
        account_id,
        evaluated_at,
        max(latch_stage_order) as held_stage_order
    from latches
    where last_set_at is not null
        and (last_reset_at is null or last_set_at > last_reset_at)
    group by 1, 2

),

final as (

    select
        evaluated.account_id,
        evaluated.evaluated_at,
        evaluated.journey_score,
        evaluated.band_stage_order,
        evaluated.hold_stage_order,
        evaluated.trigger_stage_order,
        evaluated.stage_order as entry_stage_order,
        stages.stage_order,
        stages.stage,
        case when stages.stage_order = evaluated.stage_order then evaluated.lifted_by_trigger_id end
            as lifted_by_trigger_id,
        case when stages.stage_order = evaluated.stage_order then evaluated.lifted_by_touchpoint_id end
            as lifted_by_touchpoint_id,
        evaluated.checkpoint_touchpoint_id
    from evaluated
    inner join held_stages
        on evaluated.account_id = held_stages.account_id
            and evaluated.evaluated_at = held_stages.evaluated_at
    inner join stages
        on held_stages.held_stage_order = stages.stage_order

)

select * from final
