-- The opportunity outcome of each account: won (any closed-won opportunity; converted at the
-- first win), lost (only closed-lost ones), open (an open one, none won); no row without any.
with

opportunities as (

    select
        account_id,
        is_closed,
        is_won,
        coalesce(closed_at, cast(close_date as timestamp)) as closed_at
    from {{ ref('stg_crm__opportunities') }}
    where account_id is not null

),

per_account as (

    select
        account_id,
        count(*) as opportunities,
        sum(case when is_won then 1 else 0 end) as won_opportunities,
        sum(case when not is_closed then 1 else 0 end) as open_opportunities,
        min(case when is_won then closed_at end) as first_won_at
    from opportunities
    group by 1

),

final as (

    select
        account_id,
        opportunities,
        won_opportunities,
        open_opportunities,
        first_won_at,
        case
            when won_opportunities > 0 then 'won'
            when open_opportunities > 0 then 'open'
            else 'lost'
        end as opportunity_outcome
    from per_account

)

select * from final
