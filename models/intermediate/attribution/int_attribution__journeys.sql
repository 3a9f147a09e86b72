-- One row per journey: a conversion to be attributed, or a journey that did not convert.
-- Grain: journey_id. Converting journeys: every fct_conversions row except closed_lost
-- (journey_id = conversion_id). Non-converting journeys (for the data-driven models), per
-- conversion type they did not reach:
--   * closed_won: every closed-lost opportunity ('closed_lost:<opportunity_id>');
--   * every type: per account, the touches after its last conversion of that type (for
--     closed_won: after its last closed-won or closed-lost close), ending at the account's
--     last touchpoint ('not_converted:<type>:<account_id>').
-- A journey holds the account's touchpoints in (starts_after_at, ends_at] that are at most
-- attribution_lookback_days before ends_at. Milestones (lead_at, opportunity_at, won_at)
-- locate the W-shaped / full-path key touches; they are null when not applicable.

with

conversions as (
    select
        conversion_id,
        conversion_type,
        converted_at,
        account_id,
        contact_id,
        opportunity_id,
        revenue,
        pipeline_amount
    from {{ ref('fct_conversions') }}
),

touchpoints as (
    select
        account_id,
        occurred_at
    from {{ ref('fct_touchpoints') }}
    where account_id is not null and account_id <> 'unknown'
),

conversion_types as (
    select 'lead_created' as conversion_type
    union all
    select 'opportunity_created' as conversion_type
    union all
    select 'closed_won' as conversion_type
),

-- the lead milestone of an opportunity: the account's most recent lead created before it
-- (older leads usually belong to earlier buying efforts, long outside the window)
latest_leads as (
    select
        later_conversions.conversion_id,
        max(leads.converted_at) as latest_lead_at
    from conversions as later_conversions
    inner join conversions as leads
        on later_conversions.account_id = leads.account_id
            and leads.conversion_type = 'lead_created'
            and later_conversions.converted_at >= leads.converted_at
    where later_conversions.conversion_type in ('opportunity_created', 'closed_won')
    group by later_conversions.conversion_id
),

opportunity_starts as (
    select
        opportunity_id,
        converted_at as opportunity_created_at
    from conversions
    where conversion_type = 'opportunity_created'
),

converting_journeys as (
    select
        conversions.conversion_id as journey_id,
        conversions.conversion_type,
        true as is_converting,
        conversions.account_id,
        conversions.contact_id,
        conversions.opportunity_id,
        conversions.revenue,
        conversions.pipeline_amount,
        cast(null as timestamp) as starts_after_at,
        conversions.converted_at as ends_at,
        case
            when conversions.conversion_type = 'lead_created' then conversions.converted_at
            else latest_leads.latest_lead_at
        end as lead_at,
        case
            when conversions.conversion_type = 'opportunity_created' then conversions.converted_at
            when conversions.conversion_type = 'closed_won'
                then opportunity_starts.opportunity_created_at
        end as opportunity_at,
        case
            when conversions.conversion_type = 'closed_won' then conversions.converted_at
        end as won_at
    from conversions
    left join latest_leads
        on conversions.conversion_id = latest_leads.conversion_id
    left join opportunity_starts
        on conversions.opportunity_id = opportunity_starts.opportunity_id
    where conversions.conversion_type <> 'closed_lost'
),

lost_opportunity_journeys as (
    select
        conversions.conversion_id as journey_id,
        'closed_won' as conversion_type,
        false as is_converting,
        conversions.account_id,
        conversions.contact_id,
        conversions.opportunity_id,
        cast(0 as double) as revenue,
        conversions.pipeline_amount,
        cast(null as timestamp) as starts_after_at,
        conversions.converted_at as ends_at,
        cast(null as timestamp) as lead_at,
        cast(null as timestamp) as opportunity_at,
        cast(null as timestamp) as won_at
    from conversions
    where conversions.conversion_type = 'closed_lost'
),

last_touches as (
    select
        account_id,
        max(occurred_at) as last_touch_at
    from touchpoints
    group by account_id
),

last_conversions as (
    select
        account_id,
        case when conversion_type = 'closed_lost' then 'closed_won' else conversion_type end
            as conversion_type,
        max(converted_at) as last_converted_at
    from conversions
    group by
        account_id,
        case when conversion_type = 'closed_lost' then 'closed_won' else conversion_type end
),

trailing_journeys as (
    select
        'not_converted:' || conversion_types.conversion_type || ':' || last_touches.account_id
            as journey_id,
        conversion_types.conversion_type,
        false as is_converting,
        last_touches.account_id,
        cast(null as {{ dbt.type_string() }}) as contact_id,
        cast(null as {{ dbt.type_string() }}) as opportunity_id,
        cast(0 as double) as revenue,
        cast(0 as double) as pipeline_amount,
        last_conversions.last_converted_at as starts_after_at,
        last_touches.last_touch_at as ends_at,
        cast(null as timestamp) as lead_at,
        cast(null as timestamp) as opportunity_at,
        cast(null as timestamp) as won_at
    from last_touches
    cross join conversion_types
    left join last_conversions
        on last_touches.account_id = last_conversions.account_id
            and conversion_types.conversion_type = last_conversions.conversion_type
    where last_conversions.last_converted_at is null
        or last_touches.last_touch_at > last_conversions.last_converted_at
),

final as (
    select * from converting_journeys
    union all
    select * from lost_opportunity_journeys
    union all
    select * from trailing_journeys
)

select * from final
