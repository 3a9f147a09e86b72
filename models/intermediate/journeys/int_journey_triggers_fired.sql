-- One row per touchpoint at which a trigger rule (seeds/journey_stage_triggers.csv) fires:
-- at least min_count matching touchpoints of the account within window_minutes up to it.
with

touchpoints as (

    select
        touchpoint_id,
        account_id,
        occurred_at,
        touchpoint_type,
        content_type,
        url_path,
        attention_ratio,
        engagement_depth
    from {{ ref('int_journey_touchpoints_weighted') }}

),

triggers as (

    select * from {{ ref('journey_stage_triggers') }}

),

stages as (

    select
        stage,
        stage_order
    from {{ ref('journey_stages') }}

),

matching_touchpoints as (

    select
        triggers.trigger_id,
        triggers.min_count,
        triggers.window_minutes,
        touchpoints.touchpoint_id,
        touchpoints.account_id,
        touchpoints.occurred_at
    from touchpoints
    inner join triggers
        on (
            triggers.touchpoint_types is null
            or '|' || triggers.touchpoint_types || '|' like '%|' || touchpoints.touchpoint_type || '|%'
        )
        and (
            triggers.content_types is null
            or '|' || triggers.content_types || '|' like '%|' || touchpoints.content_type || '|%'
        )
        and (triggers.url_path_pattern is null or lower(touchpoints.url_path) like triggers.url_path_pattern)
        and (triggers.attention_ratio_above is null or touchpoints.attention_ratio > triggers.attention_ratio_above)
        and (
            triggers.engagement_depth_above is null
            or touchpoints.engagement_depth > triggers.engagement_depth_above
        )

),

matches_in_window as (

    select
        firing.trigger_id,
        firing.touchpoint_id,
        firing.account_id,
        firing.occurred_at,
        firing.min_count,
        count(*) as matches_in_window
    from matching_touchpoints as firing
    inner join matching_touchpoints as earlier
        on firing.trigger_id = earlier.trigger_id
            and firing.account_id = earlier.account_id
            and firing.occurred_at >= earlier.occurred_at
            and {{ dbt.datediff('earlier.occurred_at', 'firing.occurred_at', 'second') }}
            <= firing.window_minutes * 60
    group by 1, 2, 3, 4, 5

),

final as (

    select
        matches_in_window.trigger_id,
        matches_in_window.touchpoint_id,
        matches_in_window.account_id,
        matches_in_window.occurred_at as fired_at,
        matches_in_window.matches_in_window,
        triggers.to_stage,
        stages.stage_order as to_stage_order
    from matches_in_window
    inner join triggers
        on matches_in_window.trigger_id = triggers.trigger_id
    inner join stages
        on triggers.to_stage = stages.stage
    where matches_in_window.matches_in_window >= matches_in_window.min_count

)

select * from final
