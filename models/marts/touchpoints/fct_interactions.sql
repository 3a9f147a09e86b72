-- Every staged interaction once, with its engagement features, channel, touchpoint score,
-- decision (is_touchpoint) and reason; a click and its landing page view name each other in
-- linked_interaction_id, and only the click row is the visit's touchpoint
-- (int_interactions_visits_linked). account_id is 'unknown' when no account is known.
-- Incremental per interaction (delete+insert on interaction_id): a run writes the interactions
-- of the change set int_interactions_changed (which says what changed and why: new loads, CRM
-- rows deleted, visit partners, the engagement entity's later interactions for frequency), as
-- the feature chain has just recomputed them. source_loaded_at is the latest load time of the
-- rows an interaction's features are computed from (its own landing file, its Segment session,
-- every Segment event or form of its visitor, the CRM contact and CRM account it resolves to,
-- its own catalog entry) and the watermark of the next run. Seed or var changes stop the run
-- (macro check_incremental_inputs). Not seen without a full refresh: rows deleted from a raw table
-- (README "How touchpoints are scored").
{{
    config(
        materialized='incremental',
        unique_key='interaction_id',
        incremental_strategy=incremental_strategy(),
        meta={'tests_recent_load_column': 'source_loaded_at'},
    )
}}

with

-- the change set: the interactions this run recomputes, with their source_loaded_at
changed as (
    select
        interaction_id,
        source_loaded_at
    from {{ ref('int_interactions_changed') }}
),

interactions_in_scope as (
    select
        interactions.*,
        coalesce(interactions.catalog_content_id, interactions.content_id) as resolved_content_id,
        changed.source_loaded_at
    from {{ ref('int_interactions_visits_linked') }} as interactions
    inner join changed
        on interactions.interaction_id = changed.interaction_id
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
        channel_utm_medium,
        channel_utm_source,
        campaign_id,
        campaign_name,
        resolved_content_id as content_id,
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
        engagement_entity_id,
        active_days_in_window,
        is_repeat_engagement,
        channel_intent_weight,
        touchpoint_score,
        is_touchpoint,
        reason,
        linked_interaction_id,
        source_loaded_at
    from interactions_in_scope
)

{{ select_contract_columns('final') }}
