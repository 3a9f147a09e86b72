-- The journey score of each account at each checkpoint:
-- min(10, scale * sum(points * 0.5^(age_days / half_life)) + stakeholder bonus).
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

checkpoints as (

    select
        account_id,
        evaluated_at,
        input_fingerprint
    from {{ ref('int_journey_checkpoints') }}
    where {{ journey_rows_recomputed('account_id', 'evaluated_at') }}

),

touchpoints as (

    select
        account_id,
        occurred_at,
        points,
        engaged_contact_id
    from {{ ref('int_journey_touchpoints_weighted') }}

),

touchpoints_before_checkpoint as (

    select
        checkpoints.account_id,
        checkpoints.evaluated_at,
        touchpoints.points,
        touchpoints.engaged_contact_id,
        {{ dbt.datediff('touchpoints.occurred_at', 'checkpoints.evaluated_at', 'second') }} / 86400 as age_days  -- noqa: LT05
    from checkpoints
    inner join touchpoints
        on checkpoints.account_id = touchpoints.account_id
            and checkpoints.evaluated_at >= touchpoints.occurred_at
            and {{ dbt.datediff('touchpoints.occurred_at', 'checkpoints.evaluated_at', 'second') }}
            <= {{ var('journey_score_lookback_days') }} * 86400

),

decayed as (

    select
        account_id,
        evaluated_at,
        {{ sum_exact("points * power(0.5, age_days / " ~ var('journey_half_life_days') ~ ")") }} as decayed_points,
        count(distinct case
            when age_days <= {{ var('journey_stakeholder_window_days') }} then engaged_contact_id
        end) as engaged_contacts_in_window
    from touchpoints_before_checkpoint
    group by 1, 2

),

with_bonus as (

    select
        checkpoints.account_id,
        checkpoints.evaluated_at,
        checkpoints.input_fingerprint,
        coalesce(decayed.decayed_points, 0) as decayed_points,
        coalesce(decayed.engaged_contacts_in_window, 0) as engaged_contacts_in_window,
        cast(least(
            {{ var('journey_stakeholder_bonus_max') }},
            {{ var('journey_stakeholder_bonus_per_contact') }}
            * greatest(coalesce(decayed.engaged_contacts_in_window, 0) - 1, 0)
        ) as double) as stakeholder_bonus
    from checkpoints
    left join decayed
        on checkpoints.account_id = decayed.account_id
            and checkpoints.evaluated_at = decayed.evaluated_at

),

final as (

    select
        *,
        least(10.0, {{ var('journey_score_scale') }} * decayed_points + stakeholder_bonus) as journey_score
    from with_bonus

)

select * from final
