-- Touchpoint activity per account up to the "as of" time: counts, contacts, channels,
-- first and last touchpoint, and velocity (last 7 / 30 days and the 30 days before those).
with

touchpoints as (

    select
        touchpoint_id,
        account_id,
        occurred_at,
        channel,
        touchpoint_type,
        engaged_contact_id
    from {{ ref('int_journey_touchpoints_weighted') }}

),

as_of as (

    select as_of_at from {{ ref('int_journey_as_of') }}

),

aged as (

    select
        touchpoints.*,
        {{ dbt.datediff('touchpoints.occurred_at', 'as_of.as_of_at', 'second') }} / 86400 as age_days,  -- noqa: LT05
        row_number() over (
            partition by touchpoints.account_id order by touchpoints.occurred_at, touchpoints.touchpoint_id
        ) as rank_first,
        row_number() over (
            partition by touchpoints.account_id
            order by touchpoints.occurred_at desc, touchpoints.touchpoint_id desc
        ) as rank_last
    from touchpoints
    cross join as_of

),

channel_lists as (

    select
        account_id, {{ journey_ordered_string_agg('channel', 'channel', ', ') }} as channel_list
    from (select distinct
        account_id,
        channel
    from touchpoints) as account_channels
    group by 1

),

per_account as (

    select
        account_id,
        count(*) as touchpoints,
        count(distinct engaged_contact_id) as engaged_contacts,
        count(distinct channel) as channels_touched,
        min(occurred_at) as first_touch_at,
        max(case when rank_first = 1 then channel end) as first_touch_channel,
        max(case when rank_first = 1 then touchpoint_type end) as first_touch_type,
        max(occurred_at) as last_touch_at,
        max(case when rank_last = 1 then channel end) as last_touch_channel,
        max(case when rank_last = 1 then touchpoint_type end) as last_touch_type,
        max(age_days) as days_since_first_touch,
        sum(case when age_days < 7 then 1 else 0 end) as touchpoints_last_7d,
        sum(case when age_days < 30 then 1 else 0 end) as touchpoints_last_30d,
        sum(case when age_days >= 30 and age_days < 60 then 1 else 0 end) as touchpoints_prior_30d
    from aged
    group by 1

),

final as (

    select
        per_account.*,
        channel_lists.channel_list
    from per_account
    left join channel_lists
        on per_account.account_id = channel_lists.account_id

)

select * from final
