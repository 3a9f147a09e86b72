-- The change set of the interaction feature chain: one row per interaction that this run must
-- (re)compute, with source_loaded_at, the latest load time of the rows it is computed from
-- (its own landing file, its Segment session, every Segment event or form of its visitor, the
-- CRM contact and CRM account it resolves to, its catalog entry). The feature models
-- (int_interactions_expected_time ... _visits_linked) and fct_interactions recompute exactly
-- these interactions (delete+insert on interaction_id) and read everything else they need
-- (active days, sessions, landing page views) from their full upstream tables.
-- On a first build or --full-refresh: every interaction. Otherwise, compared with the previous
-- build of fct_interactions (macro previous_build; it runs after this model):
--   1. changed: source_loaded_at after its watermark (macro loaded_since_last_run), or the
--      contact or account it resolves to is not the stored one (e.g. deleted in the CRM);
--   2. plus their visit partners: a click and the page views that may be its landing (ad click
--      id, e-mail token), since each copies values from the other;
--   3. plus every interaction of their engagement entity (account, else contact, else visitor;
--      before and after the change) from the earliest changed day on, since frequency counts
--      the entity's active days in var('tp_frequency_window_days') days up to each interaction;
--   4. plus the visit partners of those (a landing page view's new score moves its click's).
-- Seed or var changes stop the run (macro check_incremental_inputs). Not seen without a full
-- refresh: rows deleted from a raw table. This table differs from a full refresh's by design
-- (it holds one run's work); benchmarks/compare.py leaves it out.
{%- set previous = previous_build('fct_interactions') %}

with

interactions as (
    select
        interaction_id,
        source_system,
        source_record_id,
        source_file_name,
        interaction_type,
        occurred_at,
        visitor_id,
        contact_id,
        account_id,
        content_id,
        click_id,
        coalesce(account_id, contact_id, visitor_id, interaction_id) as engagement_entity_id
    from {{ ref('int_interactions_unioned') }}
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
        content_id,
        loaded_at
    from {{ ref('stg_content__assets') }}
),

-- each *_loads CTE: the load time of one kind of row an interaction depends on, keyed by the
-- interaction column naming that row
{%- set dependencies = [
    ('file_loads', 'source_file_name'),
    ('session_loads', 'interaction_id'),
    ('visitor_loads', 'visitor_id'),
    ('contact_loads', 'contact_id'),
    ('account_loads', 'account_id'),
    ('content_loads', 'content_id'),
] %}
dependency_loads as (
    {%- for loads, key_column in dependencies %}
        select
            interactions.interaction_id,
            {{ loads }}.loaded_at
        from interactions
        inner join {{ loads }}
            on interactions.{{ key_column }} = {{ loads }}.{{ key_column }}
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
        interactions.*,
        interaction_loads.source_loaded_at
    from interactions
    left join interaction_loads
        on interactions.interaction_id = interaction_loads.interaction_id
),

{% if previous is not none %}
previous as (
    select
        interaction_id,
        contact_id,
        account_id,
        engagement_entity_id,
        occurred_at
    from {{ previous }}
),

-- a click and the page views that may be its landing share a visit key (int_interactions_attention,
-- int_interactions_visits_linked): the ad click id, or the e-mail event id carried as token
page_view_tokens as (
    select
        'segment:' || event_id as interaction_id,
        email_token
    from {{ ref('stg_segment__events') }}
    where event_type = 'page' and email_token is not null
),

visit_keys as (
    select
        interaction_id,
        'click:' || click_id as visit_key
    from interactions
    where source_system = 'segment' and interaction_type = 'page_view' and click_id is not null
    union all
    select
        interaction_id,
        'click:' || coalesce(click_id, source_record_id) as visit_key
    from interactions
    where interaction_type = 'ad_click'
    union all
    select
        interaction_id,
        'email:' || email_token as visit_key
    from page_view_tokens
    union all
    select
        interaction_id,
        'email:' || source_record_id as visit_key
    from interactions
    where interaction_type = 'email_click'
),

-- the contact or account an interaction resolves to differs from the stored one (a CRM row
-- deleted since the last run has no load time left to compare; a new identity moves it too)
identity_moved as (
    select previous.interaction_id
    from previous
    inner join interactions
        on previous.interaction_id = interactions.interaction_id
    where previous.contact_id is distinct from interactions.contact_id
        or previous.account_id <> coalesce(interactions.account_id, 'unknown')
),

changed as (
    select interaction_id
    from interactions_with_loads
    where {{ loaded_since_last_run('source_loaded_at', built_relation=previous) }}
    union
    select interaction_id from identity_moved
),

changed_with_partners as (
    select interaction_id from changed
    union
    select partners.interaction_id
    from changed
    inner join visit_keys as own_keys
        on changed.interaction_id = own_keys.interaction_id
    inner join visit_keys as partners
        on own_keys.visit_key = partners.visit_key
),

-- the entity and day of a changed interaction, now and before (identity or time may have moved)
changes as (
    select
        interactions.engagement_entity_id,
        interactions.occurred_at
    from interactions
    inner join changed_with_partners
        on interactions.interaction_id = changed_with_partners.interaction_id
    union all
    select
        previous.engagement_entity_id,
        previous.occurred_at
    from previous
    inner join changed_with_partners
        on previous.interaction_id = changed_with_partners.interaction_id
),

entities_to_rescore as (
    select
        engagement_entity_id,
        min(cast(occurred_at as date)) as rescore_from_on
    from changes
    group by engagement_entity_id
),

rescored as (
    select interactions.interaction_id
    from interactions
    inner join entities_to_rescore
        on interactions.engagement_entity_id = entities_to_rescore.engagement_entity_id
    where cast(interactions.occurred_at as date) >= entities_to_rescore.rescore_from_on
),

in_scope as (
    select interaction_id from rescored
    union
    select partners.interaction_id
    from rescored
    inner join visit_keys as own_keys
        on rescored.interaction_id = own_keys.interaction_id
    inner join visit_keys as partners
        on own_keys.visit_key = partners.visit_key
),
{% else %}
    in_scope as (
        select interaction_id from interactions
    ),
{% endif %}

final as (
    select
        interactions_with_loads.interaction_id,
        interactions_with_loads.source_loaded_at
    from interactions_with_loads
    inner join in_scope
        on interactions_with_loads.interaction_id = in_scope.interaction_id
)

select * from final
