-- One row per account journey (up to its first win, or "as of"): the ordered channel and
-- touchpoint-type paths and the time between consecutive touchpoints.
with

steps as (

    select * from {{ ref('int_journey_path_steps') }}

),

final as (

    select
        account_id,
        max(outcome) as outcome,
        max(converted_at) as converted_at,
        count(*) as steps,
        min(occurred_at) as first_touch_at,
        max(occurred_at) as last_touch_at,
        {{ journey_ordered_string_agg('channel', 'step_number') }} as channel_path,
        {{ journey_ordered_string_agg('touchpoint_type', 'step_number') }} as touchpoint_type_path,
        {{ journey_median('days_since_previous_step') }} as median_days_between_touchpoints,
        max(days_since_previous_step) as max_days_between_touchpoints
    from steps
    group by 1

)

{{ select_contract_columns('final') }}
