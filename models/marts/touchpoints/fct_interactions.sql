-- Every staged interaction once, with its engagement features, channel, touchpoint score,
-- decision (is_touchpoint) and reason. account_id is 'unknown' when no account is known.
-- Incremental (delete+insert on interaction_id): a run recomputes the interactions from the
-- latest loaded one minus the larger of var('tp_incremental_lookback_days') and
-- var('tp_frequency_window_days'), because a late event can change the frequency feature of
-- every interaction up to one window after it.
{{
    config(
        materialized='incremental',
        unique_key='interaction_id',
        incremental_strategy='delete+insert',
    )
}}

{% set lookback_days = [var('tp_incremental_lookback_days'), var('tp_frequency_window_days')] | max %}

with

interactions as (
    select * from {{ ref('int_interactions_scored') }}
    {% if is_incremental() %}
    where occurred_at >= (
        select {{ dbt.dateadd('day', -1 * lookback_days, 'max(occurred_at)') }} from {{ this }}
    )
    {% endif %}
),

final as (
    select
        interaction_id,
        source_system,
        source_record_id,
        source_file_name,
        source_row_number,
        interaction_type,
        touchpoint_type,
        occurred_at,
        visitor_id,
        contact_id,
        coalesce(account_id, 'unknown') as account_id,
        channel,
        campaign_id,
        campaign_name,
        coalesce(catalog_content_id, content_id) as content_id,
        resolved_content_type as content_type,
        url_path,
        engaged_seconds,
        engaged_time_method,
        expected_seconds,
        expected_time_source,
        attention_ratio,
        attention_method,
        has_site_visit,
        engagement_kind,
        engagement_weight,
        engagement_depth,
        active_days_in_window,
        is_repeat_engagement,
        channel_intent_weight,
        touchpoint_score,
        is_touchpoint,
        reason
    from interactions
)

select * from final
