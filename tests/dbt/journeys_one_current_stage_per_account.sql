-- Every known account (dim_accounts without the unknown member) has exactly one current stage,
-- in mart_journey_stages and in mart_journeys; the unknown member has none.
-- Reads several models: shown in Dagster as an asset check of mart_journey_stages.
{{ config(meta={'dagster': {'ref': {'name': 'mart_journey_stages'}}}) }}
with

accounts as (

    select
        account_id,
        is_unknown
    from {{ ref('dim_accounts') }}

),

current_stages as (

    select
        account_id,
        count(*) as current_stages
    from {{ ref('mart_journey_stages') }}
    where is_current
    group by 1

),

journey_rows as (

    select
        account_id,
        count(*) as journey_rows
    from {{ ref('mart_journeys') }}
    where current_stage is not null
    group by 1

),

checked as (

    select
        accounts.account_id,
        accounts.is_unknown,
        coalesce(current_stages.current_stages, 0) as current_stages,
        coalesce(journey_rows.journey_rows, 0) as journey_rows
    from accounts
    left join current_stages
        on accounts.account_id = current_stages.account_id
    left join journey_rows
        on accounts.account_id = journey_rows.account_id

)

select * from checked
where (not is_unknown and (current_stages <> 1 or journey_rows <> 1))
    or (is_unknown and (current_stages <> 0 or journey_rows <> 0))
