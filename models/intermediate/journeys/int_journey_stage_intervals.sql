-- One row per account and stage entered: consecutive checkpoints in the same stage collapse
-- into one interval [entered_at, left_at); left_at is null for the current stage.
with

evaluated as (

    select * from {{ ref('int_journey_stages_held') }}

),

with_previous as (

    select
        *,
        lag(stage_order) over (partition by account_id order by evaluated_at) as previous_stage_order
    from evaluated

),

stage_changes as (

    select * from with_previous
    where previous_stage_order is null or previous_stage_order <> stage_order

),

final as (

    select
        account_id,
        row_number() over (partition by account_id order by evaluated_at) as stage_entry_number,
        stage,
        stage_order,
        previous_stage_order,
        evaluated_at as entered_at,
        lead(evaluated_at) over (partition by account_id order by evaluated_at) as left_at,
        lead(stage_order) over (partition by account_id order by evaluated_at) as next_stage_order,
        journey_score as entry_score,
        case
            when previous_stage_order is null then 'start'
            when stage_order > previous_stage_order then 'forward'
            else 'back'
        end as direction,
        case
            when previous_stage_order is null then 'start'
            when stage_order < previous_stage_order then 'decay'
            when lifted_by_trigger_id is not null then 'trigger'
            else 'score'
        end as move_reason,
        case when stage_order > previous_stage_order then lifted_by_trigger_id end as trigger_id,
        case
            when previous_stage_order is null then checkpoint_touchpoint_id
            when stage_order > previous_stage_order then coalesce(lifted_by_touchpoint_id, checkpoint_touchpoint_id)
        end as triggering_touchpoint_id
    from stage_changes

)

select * from final
