-- The stage intervals [entered_at, left_at) of an account never overlap (and never run backwards).
with

stages as (

    select journey_stage_id, account_id, entered_at, left_at
    from {{ ref('mart_journey_stages') }}

),

backwards as (

    select journey_stage_id, account_id, entered_at, left_at, 'left before entered' as problem
    from stages
    where left_at < entered_at

),

overlapping as (

    select first_stage.journey_stage_id, first_stage.account_id, first_stage.entered_at, first_stage.left_at,
        'overlaps ' || second_stage.journey_stage_id as problem
    from stages as first_stage
    inner join stages as second_stage
        on first_stage.account_id = second_stage.account_id
        and first_stage.journey_stage_id <> second_stage.journey_stage_id
        and first_stage.entered_at <= second_stage.entered_at
        and (first_stage.left_at is null or second_stage.entered_at < first_stage.left_at)

)

select * from backwards
union all
select * from overlapping
