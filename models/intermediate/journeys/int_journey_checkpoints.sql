-- The times at which each account's score and stage are evaluated: the account's start
-- (stage Target), every touchpoint, every trigger expiry, a calendar every
-- journey_checkpoint_days days from the first touchpoint, and the "as of" time.
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

with

accounts as (

    select
        account_id,
        created_at
    from {{ ref('dim_accounts') }}
    where not is_unknown

),

touchpoints as (

    select
        account_id,
        occurred_at
    from {{ ref('int_journey_touchpoints_weighted') }}

),

triggers_fired as (

    select
        account_id,
        fired_at
    from {{ ref('int_journey_triggers_fired') }}

),

as_of as (

    select as_of_at from {{ ref('int_journey_as_of') }}

),

account_inputs as (

    select
        account_id,
        input_fingerprint
    from {{ ref('int_journey_account_inputs') }}

),

{% if is_incremental() -%}
-- the accounts computed whole in this run
recomputed_accounts as (

    {{ recomputed_keys_sql('int_journey_account_inputs', 'account_id', 'input_fingerprint') }}

),
{%- endif %}

numbers as (

    -- n = 1 .. 9999 calendar steps (dbt's portable generate_series)
    select generated_number as n
    from ({{ dbt.generate_series(9999) }}) as series

),

first_touches as (

    select
        account_id,
        min(occurred_at) as first_touch_at
    from touchpoints
    group by 1

),

account_starts as (

    select
        accounts.account_id,
        case
            when first_touches.first_touch_at is not null and accounts.created_at < first_touches.first_touch_at
                then accounts.created_at
            when first_touches.first_touch_at is not null then first_touches.first_touch_at
            when accounts.created_at < as_of.as_of_at then accounts.created_at
            else as_of.as_of_at
        end as evaluated_at
    from accounts
    cross join as_of
    left join first_touches
        on accounts.account_id = first_touches.account_id

),

calendar as (

    select
        first_touches.account_id,
        {{ dbt.dateadd('day', 'numbers.n * ' ~ var('journey_checkpoint_days'), 'first_touches.first_touch_at') }}
            as evaluated_at
    from first_touches
    cross join numbers
    cross join as_of
    where numbers.n >= 1
        and numbers.n * {{ var('journey_checkpoint_days') }}
        <= {{ dbt.datediff('first_touches.first_touch_at', 'as_of.as_of_at', 'day') }}

),

trigger_expiries as (

    select
        triggers_fired.account_id,
        {{ dbt.dateadd('day', var('journey_trigger_fresh_days'), 'triggers_fired.fired_at') }} as evaluated_at
    from triggers_fired

),

as_of_points as (

    select
        first_touches.account_id,
        as_of.as_of_at as evaluated_at
    from first_touches
    cross join as_of

),

all_points as (

    select
        account_id,
        evaluated_at
    from account_starts
    union
    select
        account_id,
        occurred_at
    from touchpoints
    union
    select
        account_id,
        evaluated_at
    from calendar
    union
    select
        account_id,
        evaluated_at
    from trigger_expiries
    union
    select
        account_id,
        evaluated_at
    from as_of_points

),

final as (

    select
        all_points.account_id,
        all_points.evaluated_at,
        account_inputs.input_fingerprint
    from all_points
    cross join as_of
    inner join account_inputs
        on all_points.account_id = account_inputs.account_id
    where all_points.evaluated_at <= as_of.as_of_at
        and {{ journey_rows_recomputed('all_points.account_id', 'all_points.evaluated_at') }}

)

select * from final
