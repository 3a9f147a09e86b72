-- The change set of the interaction feature chain: one row per interaction that this run must
-- (re)compute, with source_loaded_at, the latest load time of the rows it is computed from
-- (its own landing file, its Segment session, every Segment event or form of its visitor, the
-- CRM contact and CRM account it resolves to, its catalog entry). The feature models
-- (int_interactions_expected_time ... _visits_linked) and fct_interactions recompute exactly
-- these interactions (delete+insert on interaction_id) and read everything else they need
-- (active days, sessions, landing page views) from their full upstream tables.
-- On a first build or --full-refresh: every interaction. Otherwise, compared with the previous
-- build of fct_interactions (macro previous_build; it runs after this model):
--   1. changed: a row it depends on was loaded after the watermark (macro
--      loaded_since_last_run), or its landing file has no load time at all, or the contact or
--      account it resolves to is not the stored one (e.g. deleted in the CRM);
--   2. plus their visit partners: a click and the page views that may be its landing (ad click
--      id, e-mail token), since each copies values from the other;
--   3. plus the interactions of their engagement entity (account, else contact, else visitor;
--      before and after the change) on a changed day or in the var('tp_frequency_window_days')
--      - 1 days after it, since frequency counts the entity's active days in that many days up
--      to and including each interaction (not the entity's whole later history);
--   4. plus the visit partners of those (a landing page view's new score moves its click's).
-- Step 1 starts from the rows loaded since the watermark, and load times are aggregated only
-- for the interactions in scope (at 10M web events this model took a third less CPU than when
-- it aggregated them for every interaction first; same rows).
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

-- each *_loads CTE: the load times of one kind of row an interaction depends on (one row per
-- loaded row, not aggregated), keyed by the interaction column naming that row
file_loads as (
    select
        file_name as source_file_name,
        loaded_at
    from {{ ref('stg_ingestion__load_manifest') }}
),

session_loads as (
    select
        'segment:' || event_id as interaction_id,
        source_loaded_at as loaded_at
    from {{ ref('int_page_views_sessionized') }}
),

visitor_loads as (
    select
        anonymous_id as visitor_id,
        loaded_at
    from {{ ref('stg_segment__events') }}
    where anonymous_id is not null
    union all
    select
        anonymous_id as visitor_id,
        loaded_at
    from {{ ref('stg_forms__submissions') }}
    where anonymous_id is not null
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

{#- (loads CTE, interaction column it is keyed by, whether a key has many rows there) #}
{%- set dependencies = [
    ('file_loads', 'source_file_name', true),
    ('session_loads', 'interaction_id', false),
    ('visitor_loads', 'visitor_id', true),
    ('contact_loads', 'contact_id', false),
    ('account_loads', 'account_id', false),
    ('content_loads', 'content_id', false),
] %}

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

-- the interactions that depend on a row loaded since the last build (one watermark for all)
{%- set is_loaded_since_last_build = loaded_since_last_run('loaded_at', built_relation=previous) %}
{%- for loads, key_column, has_many_rows in dependencies %}
    {{ loads }}_new as (
        select distinct {{ key_column }}
        from {{ loads }}
        where loaded_at is not null
            and {{ is_loaded_since_last_build }}
    ),
{%- endfor %}

newly_loaded as (
    {%- for loads, key_column, has_many_rows in dependencies %}
        select interactions.interaction_id
        from interactions
        inner join {{ loads }}_new
            on interactions.{{ key_column }} = {{ loads }}_new.{{ key_column }}
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

-- an interaction whose landing file has no load time cannot be placed against the watermark
files_with_load_time as (
    select distinct source_file_name
    from file_loads
    where loaded_at is not null
),

without_file_load as (
    select interactions.interaction_id
    from interactions
    left join files_with_load_time
        on interactions.source_file_name = files_with_load_time.source_file_name
    where files_with_load_time.source_file_name is null
),

changed as (
    select interaction_id from newly_loaded
    union
    select interaction_id from without_file_load
    union
    select interaction_id from identity_moved
),

changed_with_partners as (
    {{ with_visit_partners('changed') }}
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

-- step 3: a change on day D moves the entity's interactions dated D to D + window - 1
changed_days as (
    select distinct
        engagement_entity_id,
        cast(occurred_at as date) as changed_on
    from changes
),

rescored as (
    select distinct interactions.interaction_id
    from interactions
    inner join changed_days
        on interactions.engagement_entity_id = changed_days.engagement_entity_id
    where cast(interactions.occurred_at as date) >= changed_days.changed_on
        and cast(interactions.occurred_at as date) < {{ dbt.dateadd(
            'day', var('tp_frequency_window_days'), 'changed_days.changed_on'
        ) }}
),

in_scope as (
    {{ with_visit_partners('rescored') }}
),

in_scope_interactions as (
    select interactions.*
    from interactions
    inner join in_scope
        on interactions.interaction_id = in_scope.interaction_id
),
{% endif %}
{#- a first build or --full-refresh: every interaction is in scope #}
{%- set scope = 'in_scope_interactions' if previous is not none else 'interactions' %}

-- the load times of the rows the interactions in scope depend on (the latest one per key where
-- a key has many rows, so that the join below stays one row per interaction and dependency)
{%- for loads, key_column, has_many_rows in dependencies if has_many_rows %}
    {{ loads }}_latest as (
        select
            {{ key_column }},
            max(loaded_at) as loaded_at
        from {{ loads }}
        {%- if previous is not none %}
            where {{ key_column }} in (select {{ scope }}.{{ key_column }} from {{ scope }})
        {%- endif %}
        group by {{ key_column }}
    ),
{%- endfor %}
{%- for loads, key_column, has_many_rows in dependencies if not has_many_rows %}
    {{ loads }}_latest as (
        select
            {{ key_column }},
            loaded_at
        from {{ loads }}
        {%- if previous is not none %}
            where {{ key_column }} in (select {{ scope }}.{{ key_column }} from {{ scope }})
        {%- endif %}
    ),
{%- endfor %}

dependency_loads as (
    {%- for loads, key_column, has_many_rows in dependencies %}
        select
            {{ scope }}.interaction_id,
            {{ loads }}_latest.loaded_at
        from {{ scope }}
        inner join {{ loads }}_latest
            on {{ scope }}.{{ key_column }} = {{ loads }}_latest.{{ key_column }}
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

final as (
    select
        {{ scope }}.interaction_id,
        interaction_loads.source_loaded_at
    from {{ scope }}
    left join interaction_loads
        on {{ scope }}.interaction_id = interaction_loads.interaction_id
)

select * from final
