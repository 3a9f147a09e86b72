-- Touchpoints of known accounts, up to the "as of" time, with the points they add to the journey score.
with

touchpoints as (

    select
        touchpoint_id,
        occurred_at,
        account_id,
        contact_id,
        channel,
        touchpoint_type,
        content_type,
        url_path,
        attention_ratio,
        engagement_depth,
        touchpoint_score
    from {{ ref('fct_touchpoints') }}

),

as_of as (

    select as_of_at from {{ ref('int_journey_as_of') }}

),

accounts as (

    select account_id from {{ ref('dim_accounts') }}
    where not is_unknown

),

known_account_touchpoints as (

    select touchpoints.*
    from touchpoints
    inner join accounts
        on touchpoints.account_id = accounts.account_id
    inner join as_of
        on touchpoints.occurred_at <= as_of.as_of_at

),

final as (

    select
        *,
        coalesce(touchpoint_score, {{ var('journey_default_touchpoint_score') }})
        * (
            1
            + {{ var('journey_depth_weight') }} * coalesce(engagement_depth, 0)
            + {{ var('journey_attention_weight') }}
            * least(coalesce(attention_ratio, 0), {{ var('journey_attention_cap') }})
        ) as points,
        case
            when contact_id is not null and contact_id <> 'unknown' then contact_id
        end as engaged_contact_id
    from known_account_touchpoints

)

select * from final
