-- Every interaction of int_interactions_unioned appears in fct_interactions exactly once
-- (and nothing else does). Returns the offending interaction ids.
-- Reads several models: shown in Dagster as an asset check of fct_interactions.
{{ config(meta={'dagster': {'ref': {'name': 'fct_interactions'}}}) }}

with

unioned as (
    select
        interaction_id,
        count(*) as unioned_rows
    from {{ ref('int_interactions_unioned') }}
    group by interaction_id
),

scored as (
    select
        interaction_id,
        count(*) as fact_rows
    from {{ ref('fct_interactions') }}
    group by interaction_id
),

final as (
    select
        coalesce(unioned.interaction_id, scored.interaction_id) as interaction_id,
        coalesce(unioned.unioned_rows, 0) as unioned_rows,
        coalesce(scored.fact_rows, 0) as fact_rows
    from unioned
    full outer join scored
        on unioned.interaction_id = scored.interaction_id
    where unioned.unioned_rows is null
        or scored.fact_rows is null
        or scored.fact_rows <> 1
)

select * from final
