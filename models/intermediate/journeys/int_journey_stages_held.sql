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
--
-- Incremental by account. A row depends only on the account's evaluated rows up to its time,
-- and this table stores those inputs beside each result, so an account whose stored rows
-- before the previous "as of" equal this run's evaluated rows at the same times (every column
-- used) keeps them: only its checkpoints after the last kept one are computed, with each
-- latch continued from a seed row at that checkpoint (its set when the latch is on, and the
-- start of the current run below the stage, read from the stored rows of the last
-- journey_fall_back_after_days days). Every other account (new, changed, or any difference in
-- its history: a late touchpoint, a changed trigger seed, an "as of" moved back) is computed
-- whole.
-- Each run writes every account (delete+insert on account_id); an account without evaluated
-- rows any more leaves the table (meta kept_keys, macros/replaced_keys.sql).
{{
    config(
        materialized='incremental',
        unique_key='account_id',
        incremental_strategy=incremental_strategy(),
        meta={
            'kept_keys': {'model': 'int_journey_stages_evaluated', 'column': 'account_id'},
            'incremental_inputs_compared': ['int_journey_stages_evaluated'],
        },
    )
}}

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

{% if is_incremental() -%}
stored as (

    select * from {{ this }}

),

previous_as_of as (

    select max(evaluated_at) as as_of_at from stored

),

-- stored and evaluated rows at the same checkpoint with the same inputs
matching as (

    select
        stored.account_id,
        stored.evaluated_at
    from stored
    inner join evaluated
        on stored.account_id = evaluated.account_id
            and stored.evaluated_at = evaluated.evaluated_at
    where stored.journey_score = evaluated.journey_score
        and stored.band_stage_order = evaluated.band_stage_order
        and stored.hold_stage_order = evaluated.hold_stage_order
        and stored.entry_stage_order = evaluated.stage_order
        and coalesce(stored.trigger_stage_order, -1) = coalesce(evaluated.trigger_stage_order, -1)
        and coalesce(stored.checkpoint_touchpoint_id, '') = coalesce(evaluated.checkpoint_touchpoint_id, '')
        and (
            stored.stage_order <> stored.entry_stage_order
            or (
                coalesce(stored.lifted_by_trigger_id, '') = coalesce(evaluated.lifted_by_trigger_id, '')
                and coalesce(stored.lifted_by_touchpoint_id, '') = coalesce(evaluated.lifted_by_touchpoint_id, '')
            )
        )

),

-- before the previous "as of", every stored and every evaluated row must match
history_rows as (

    select
        stored.account_id,
        stored.evaluated_at
    from stored
    cross join previous_as_of
    where stored.evaluated_at < previous_as_of.as_of_at
    union all
    select
        evaluated.account_id,
        evaluated.evaluated_at
    from evaluated
    cross join previous_as_of
    where evaluated.evaluated_at < previous_as_of.as_of_at

),

history_checked as (

    select
        history_rows.account_id,
        max(case when matching.account_id is null then 1 else 0 end) as has_difference,
        max(history_rows.evaluated_at) as last_history_at
    from history_rows
    left join matching
        on history_rows.account_id = matching.account_id
            and history_rows.evaluated_at = matching.evaluated_at
    group by history_rows.account_id

),

accounts_kept as (

    -- the last kept checkpoint: the previous "as of" itself when it is still a checkpoint
    -- with the same inputs, else the last one before it
    select
        evaluated_accounts.account_id,
        case
            when matching.account_id is not null then previous_as_of.as_of_at
            else history_checked.last_history_at
        end as kept_until_at
    from (select distinct account_id from evaluated) as evaluated_accounts
    cross join previous_as_of
    left join history_checked
        on evaluated_accounts.account_id = history_checked.account_id
    left join matching
        on evaluated_accounts.account_id = matching.account_id
            and matching.evaluated_at = previous_as_of.as_of_at
    where coalesce(history_checked.has_difference, 0) = 0
        and (matching.account_id is not null or history_checked.last_history_at is not null)

),

kept_rows as (

    select stored.*
    from stored
    inner join accounts_kept
        on stored.account_id = accounts_kept.account_id
            and stored.evaluated_at <= accounts_kept.kept_until_at

),

kept_last as (

    select
        kept_rows.account_id,
        kept_rows.evaluated_at,
        kept_rows.stage_order as held_stage_order,
        kept_rows.hold_stage_order
    from kept_rows
    inner join accounts_kept
        on kept_rows.account_id = accounts_kept.account_id
            and kept_rows.evaluated_at = accounts_kept.kept_until_at

),

-- the kept rows that can still start a run below a stage: the last journey_fall_back_after_days
-- days, and the last row before them (a run that started there has lasted long enough anyway)
recent_anchor as (

    select
        kept_rows.account_id,
        max(kept_rows.evaluated_at) as anchor_at
    from kept_rows
    inner join kept_last
        on kept_rows.account_id = kept_last.account_id
    where {{ dbt.datediff('kept_rows.evaluated_at', 'kept_last.evaluated_at', 'second') }}
        >= {{ var('journey_fall_back_after_days') }} * 86400
    group by kept_rows.account_id

),

recent_rows as (

    select
        kept_rows.account_id,
        kept_rows.evaluated_at,
        kept_rows.hold_stage_order
    from kept_rows
    left join recent_anchor
        on kept_rows.account_id = recent_anchor.account_id
    where recent_anchor.anchor_at is null or kept_rows.evaluated_at >= recent_anchor.anchor_at

),

last_at_or_above as (

    select
        recent_rows.account_id,
        stages.stage_order as latch_stage_order,
        max(case when recent_rows.hold_stage_order >= stages.stage_order then recent_rows.evaluated_at end)
            as last_at_or_above_at
    from recent_rows
    cross join stages
    group by recent_rows.account_id, stages.stage_order

),

below_starts as (

    -- the first recent row after the last one at or above the stage (the first recent row
    -- when there is none)
    select
        last_at_or_above.account_id,
        last_at_or_above.latch_stage_order,
        min(recent_rows.evaluated_at) as below_since_at
    from last_at_or_above
    inner join recent_rows
        on last_at_or_above.account_id = recent_rows.account_id
            and (
                last_at_or_above.last_at_or_above_at is null
                or recent_rows.evaluated_at > last_at_or_above.last_at_or_above_at
            )
    group by last_at_or_above.account_id, last_at_or_above.latch_stage_order

),

seed_inputs as (

    select
        kept_last.account_id,
        kept_last.evaluated_at,
        stages.stage_order as latch_stage_order,
        false as is_set,
        kept_last.hold_stage_order < stages.stage_order as is_below,
        case when stages.stage_order <= kept_last.held_stage_order then kept_last.evaluated_at end
            as seed_set_at,
        case when kept_last.hold_stage_order < stages.stage_order then below_starts.below_since_at end
            as seed_below_since_at,
        true as is_seed
    from kept_last
    cross join stages
    left join below_starts
        on kept_last.account_id = below_starts.account_id
            and stages.stage_order = below_starts.latch_stage_order

),

{%- endif %}

to_evaluate as (

    select evaluated.*
    from evaluated
    {%- if is_incremental() %}
    left join accounts_kept
        on evaluated.account_id = accounts_kept.account_id
    where accounts_kept.account_id is null or evaluated.evaluated_at > accounts_kept.kept_until_at
    {%- endif %}

),

latch_inputs as (

    select
        to_evaluate.account_id,
        to_evaluate.evaluated_at,
        stages.stage_order as latch_stage_order,
        to_evaluate.stage_order >= stages.stage_order as is_set,
        to_evaluate.hold_stage_order < stages.stage_order as is_below,
        cast(null as timestamp) as seed_set_at,
        cast(null as timestamp) as seed_below_since_at,
        false as is_seed
    from to_evaluate
    cross join stages
    {%- if is_incremental() %}
    union all
    select * from seed_inputs
    {%- endif %}

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

    -- a seed row carries the start of the run it continues
    select
        *,
        min(case when is_below then coalesce(seed_below_since_at, evaluated_at) end) over (
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
        is_seed,
        coalesce(seed_set_at, case when is_set then evaluated_at end) as set_at,
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
        is_seed,
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
    where not is_seed
        and last_set_at is not null
        and (last_reset_at is null or last_set_at > last_reset_at)
    group by 1, 2

),

computed as (

    select
        to_evaluate.account_id,
        to_evaluate.evaluated_at,
        to_evaluate.journey_score,
        to_evaluate.band_stage_order,
        to_evaluate.hold_stage_order,
        to_evaluate.trigger_stage_order,
        to_evaluate.stage_order as entry_stage_order,
        stages.stage_order,
        stages.stage,
        case when stages.stage_order = to_evaluate.stage_order then to_evaluate.lifted_by_trigger_id end
            as lifted_by_trigger_id,
        case when stages.stage_order = to_evaluate.stage_order then to_evaluate.lifted_by_touchpoint_id end
            as lifted_by_touchpoint_id,
        to_evaluate.checkpoint_touchpoint_id
    from to_evaluate
    inner join held_stages
        on to_evaluate.account_id = held_stages.account_id
            and to_evaluate.evaluated_at = held_stages.evaluated_at
    inner join stages
        on held_stages.held_stage_order = stages.stage_order

),

final as (

    select * from computed
    {%- if is_incremental() %}
    union all
    select
        account_id,
        evaluated_at,
        journey_score,
        band_stage_order,
        hold_stage_order,
        trigger_stage_order,
        entry_stage_order,
        stage_order,
        stage,
        lifted_by_trigger_id,
        lifted_by_touchpoint_id,
        checkpoint_touchpoint_id
    from kept_rows
    {%- endif %}

)

select * from final
