-- Accounts per current journey stage (every stage listed, also when empty): the job summary.
with

stages as (

    select
        stage,
        stage_order
    from {{ ref('journey_stages') }}

),

journeys as (

    select
        current_stage,
        needs_sales_attention
    from {{ ref('mart_journeys') }}

),

final as (

    select
        stages.stage,
        stages.stage_order,
        count(journeys.current_stage) as accounts,
        sum(case when journeys.needs_sales_attention then 1 else 0 end) as accounts_needing_sales_attention
    from stages
    left join journeys
        on stages.stage = journeys.current_stage
    group by 1, 2

)

{{ select_contract_columns('final') }}
