-- Every staged interaction once, with its engagement features, channel, touchpoint score,
-- decision (is_touchpoint) and reason; a click and its landing page view name each other in
-- linked_interaction_id, and only the click row is the visit's touchpoint
-- (int_interactions_visits_linked). account_id is 'unknown' when no account is known.
-- Incremental by load time (delete+insert on interaction_id). source_loaded_at is the latest
-- load time of the rows an interaction's features are computed from: its own landing file,
-- its Segment session, every Segment event or form of its visitor (identity, ad click
-- landings), and the CRM contact, CRM account and catalog entry it resolves to. An interaction
-- is changed when that is newer than the last run (macro loaded_since_last_run). Because the
-- frequency features count an engagement entity's active days in the var('tp_frequency_window_days')
-- days up to each interaction, a run rescores every interaction of a changed interaction's
-- engagement entity (before and after the change) from the changed interaction's day on.
-- A contact or account deleted in the CRM changes the interactions stored with it (crm_rows_gone).
-- Seed or var changes stop the run (macro check_incremental_inputs). Not seen without a full
-- refresh: rows deleted from a raw table, and changes that reach an interaction only through
-- another person's rows (README "How touchpoints are scored").
{{
    config(
        materialized='incremental',
        unique_key='interaction_id',
        incremental_strategy=incremental_strategy(),
        meta={'tests_recent_load_column': 'source_loaded_at'},
    )
}}

with

interactions as (
    select * from {{ ref('int_interactions_visits_linked') }}
),

file_loads as (
    select
        file_name as source_file_name,
        max(loaded_at) as loaded_at
    from {{ ref('stg_ingestion__load_manifest') }}
    group by file_name
),

session_loads as (
    select
        'segment:' || event_id as interaction_id,
        source_loaded_at as loaded_at
    from {{ ref('int_page_views_sessionized') }}
),

visitor_loads as (
    select
        visitor_id,
        max(loaded_at) as loaded_at
    from (
        select
            anonymous_id as visitor_id,
            loaded_at
        from {{ ref('stg_segment__events') }}
        union all
        select
            anonymous_id as visitor_id,
            loaded_at
        from {{ ref('stg_forms__submissions') }}
    ) as visitor_rows
    where visitor_id is not null
    group by visitor_id
),

contact_loads as (
    select
        contact_id,
        loaded_at
    from {{ ref('stg_crm__contacts') }}
),

account_loads as (
    select
        account_id,
        loaded_at
    from {{ ref('stg_crm__accounts') }}
),

content_loads as (
    select
        content_id as resolved_content_id,
        loaded_at
    from {{ ref('stg_content__assets') }}
),

interactions_resolved as (
    select
        *,
        coalesce(catalog_content_id, content_id) as resolved_content_id
    from interactions
),

-- each *_loads CTE: the load time of one kind of row an interaction depends on, keyed by the
-- interaction column naming that row
{%- set dependencies = [
    ('file_loads', 'source_file_name'),
    ('session_loads', 'interaction_id'),
    ('visitor_loads', 'visitor_id'),
    ('contact_loads', 'contact_id'),
    ('account_loads', 'account_id'),
    ('content_loads', 'resolved_content_id'),
] %}
dependency_loads as (
    {%- for loads, key_column in dependencies %}
        select
            interactions_resolved.interaction_id,
            {{ loads }}.loaded_at
        from interactions_resolved
        inner join {{ loads }}
            on interactions_resolved.{{ key_column }} = {{ loads }}.{{ key_column }}
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

interaction_loads as (
    select
        interaction_id,
        max(loaded_at) as source_loaded_at
    from dependency_loads
    group by interaction_id
),

interactions_with_loads as (
    select
        interactions_resolved.*,
        interaction_loads.source_loaded_at
    from interactions_resolved
    left join interaction_loads
        on interactions_resolved.interaction_id = interaction_loads.interaction_id
),

{% if is_incremental() %}
-- a CRM contact or account deleted since the last run (its latest export says IsDeleted) has no
-- load time left to compare: the interactions stored with it are changed
crm_rows_gone as (
    select previous.interaction_id
    from {{ this }} as previous
    where (previous.contact_id is not null
            and previous.contact_id not in (select contact_loads.contact_id from contact_loads))
        or (previous.account_id <> 'unknown'
            and previous.account_id not in (select account_loads.account_id from account_loads))
),

changed_interactions as (
    select interaction_id, engagement_entity_id, occurred_at
    from interactions_with_loads
    where {{ loaded_since_last_run('source_loaded_at') }}
        or interaction_id in (select crm_rows_gone.interaction_id from crm_rows_gone)
),

-- the entity and day a changed interaction had before, should identity or time have moved
changed_interactions_before as (
    select previous.engagement_entity_id, previous.occurred_at
    from {{ this }} as previous
    inner join changed_interactions
        on previous.interaction_id = changed_interactions.interaction_id
),

entities_to_rescore as (
    select
        engagement_entity_id,
        min(cast(occurred_at as date)) as rescore_from_on
    from (
        select engagement_entity_id, occurred_at from changed_interactions
        union all
        select engagement_entity_id, occurred_at from changed_interactions_before
    ) as changes
    group by engagement_entity_id
),

interactions_in_scope as (
    select interactions_with_loads.*
    from interactions_with_loads
    inner join entities_to_rescore
        on interactions_with_loads.engagement_entity_id = entities_to_rescore.engagement_entity_id
    where cast(interactions_with_loads.occurred_at as date) >= entities_to_rescore.rescore_from_on
),
{% else %}
    interactions_in_scope as (
        select * from interactions_with_loads
    ),
{% endif %}

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
