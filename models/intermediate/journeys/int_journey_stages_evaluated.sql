-- The stage bounds of each account at each checkpoint, without memory of earlier checkpoints:
-- stage_order, the stage a forward move goes to (the higher of the score band's stage and the
-- stage of the strongest trigger fired within the last journey_trigger_fresh_days days), and
-- hold_stage_order, the highest stage the account may stay in (the same with the score band
-- widened downwards by journey_fall_back_margin). int_journey_stages_held applies the memory.
-- Among triggers that tie (same stage, time and rule, fired by different touchpoints at the
-- same instant) the lowest touchpoint_id lifts the stage, so every run picks the same one.
-- Incremental by account (int_journey_account_inputs): an account whose fingerprint this table
-- holds keeps its rows before the previous "as of" and gets only its later checkpoints; any
-- other account is computed whole (macros/journeys/journey_chain_incremental.sql).
{{
    config(
        materialized='incremental',
        unique_key=['account_id', 'evaluated_at'],
        incremental_strategy=incremental_strategy(),
        meta=journey_chain_meta(),
    )
}}

-- depends_on: {{ ref('int_journey_as_of') }} {{ ref('int_journey_account_inputs') }}
-- (read by an incremental run: macros journey_rows_recomputed, recomputed_keys_sql)

with

{% if is_incremental() -%}
-- the accounts computed whole in this run
recomputed_accounts as (

    {{ recomputed_keys_sql('int_journey_account_inputs', 'account_id', 'input_fingerprint') }}

),
{%- endif %}

scores as (

    select
        account_id,
        evaluated_at,
        journey_score,
        input_fingerprint
    from {{ ref('int_journey_scores_decayed') }}
    where {{ journey_rows_recomputed('account_id', 'evaluated_at') }}

),

stages as (

    select
        stage,
        stage_order,
        score_min
    from {{ ref('journey_stages') }}

),

triggers_fired as (

    select
        trigger_id,
        touchpoint_id,
        account_id,
        fired_at,
        to_stage_order
    from {{ ref('int_journey_triggers_fired') }}

),

touchpoints as (

    select
        touchpoint_id,
        account_id,
        occurred_at,
        points
    from {{ ref('int_journey_touchpoints_weighted') }}

),

band_stages as (

    select
        scores.account_id,
        scores.evaluated_at,
        max(case when scores.journey_score >= stages.score_min then stages.stage_order end) as band_stage_order,
        max(stages.stage_order) as hold_band_stage_order
    from scores
    inner join stages
        on scores.journey_score + {{ var('journey_fall_back_margin') }} >= stages.score_min
    group by 1, 2

),

fresh_triggers_ranked as (

    select
        scores.account_id,
        scores.evaluated_at,
        triggers_fired.trigger_id,
        triggers_fired.touchpoint_id as trigger_touchpoint_id,
        triggers_fired.fired_at,
        triggers_fired.to_stage_order,
        row_number() over (
            partition by scores.account_id, scores.evaluated_at
            order by
                triggers_fired.to_stage_order desc,
                triggers_fired.fired_at desc,
                triggers_fired.trigger_id asc,
                triggers_fired.touchpoint_id asc
        ) as trigger_rank
    from scores
    inner join triggers_fired
        on scores.account_id = triggers_fired.account_id
            and scores.evaluated_at >= triggers_fired.fired_at
            and {{ dbt.datediff('triggers_fired.fired_at', 'scores.evaluated_at', 'second') }}
            < {{ var('journey_trigger_fresh_days') }} * 86400

),

touchpoints_ranked as (

    select
        account_id,
        occurred_at,
        touchpoint_id,
        row_number()
            over (partition by account_id, occurred_at order by points desc, touchpoint_id asc)
            as touchpoint_rank
    from touchpoints

),

combined as (

    select
        scores.account_id,
        scores.evaluated_at,
        scores.journey_score,
        scores.input_fingerprint,
        coalesce(band_stages.band_stage_order, 1) as band_stage_order,
        coalesce(band_stages.hold_band_stage_order, 1) as hold_band_stage_order,
        fresh_triggers.to_stage_order as trigger_stage_order,
        fresh_triggers.trigger_id,
        fresh_triggers.trigger_touchpoint_id,
        fresh_triggers.fired_at as trigger_fired_at,
        touchpoints_ranked.touchpoint_id as checkpoint_touchpoint_id
    from scores
    left join band_stages
        on scores.account_id = band_stages.account_id
            and scores.evaluated_at = band_stages.evaluated_at
    left join fresh_triggers_ranked as fresh_triggers
        on scores.account_id = fresh_triggers.account_id
            and scores.evaluated_at = fresh_triggers.evaluated_at
            and fresh_triggers.trigger_rank = 1
    left join touchpoints_ranked
        on scores.account_id = touchpoints_ranked.account_id
            and scores.evaluated_at = touchpoints_ranked.occurred_at
            and touchpoints_ranked.touchpoint_rank = 1

),

final as (

    select
        combined.account_id,
        combined.evaluated_at,
        combined.journey_score,
        combined.band_stage_order,
        combined.trigger_stage_order,
        case
            when combined.trigger_stage_order > combined.hold_band_stage_order then combined.trigger_stage_order
            else combined.hold_band_stage_order
        end as hold_stage_order,
        stages.stage_order,
        stages.stage,
        case when combined.trigger_stage_order > combined.band_stage_order then combined.trigger_id end
            as lifted_by_trigger_id,
        case when combined.trigger_stage_order > combined.band_stage_order then combined.trigger_touchpoint_id end
            as lifted_by_touchpoint_id,
        combined.checkpoint_touchpoint_id,
        combined.input_fingerprint
    from combined
    inner join stages
        on stages.stage_order = case
                when combined.trigger_stage_order > combined.band_stage_order then combined.trigger_stage_order
                else combined.band_stage_order
            end

)

select * from final
