{{
    config(
        materialized='incremental',
        unique_key='interaction_id',
        incremental_strategy=incremental_strategy(),
        meta={'tests_recent_load_column': 'loaded_at'},
    )
}}
-- One row per interaction from every source, with the person and account resolved.
-- Identity: the interaction's own e-mail (or a Segment userId that is a CRM contact id) wins;
-- web events without one get the contact their visitor was at that instant
-- (int_visitors_stitched), ad clicks through the visitor whose page view carried the click id
-- (int_ad_clicks_linked). The account is the resolved contact's account. Anything still
-- unknown stays null (with its visitor id): marts turn a null account into 'unknown'.
-- Segment heartbeats and identify calls are signals, not interactions; track events other
-- than downloads, videos and tool results are kept as 'track_other' (no touchpoint label).
-- Incremental (delete+insert on interaction_id). A run writes:
--   - the staged rows loaded since the watermark (loaded_at: the row's own load time; the
--     latest one in the table minus var('tp_incremental_lookback_hours'));
--   - every stored row whose identity or catalog entry moved: identity and content are
--     resolved again for every row (stored rows are read, not re-parsed from staging), and a
--     stored row is written again only when its visitor (ad clicks), contact, account,
--     match method or content differs from the stored one.
-- A Segment event stored as an interaction that a re-export turned into a heartbeat or an
-- identify call cannot leave the tables built from it incrementally: the run stops and names
-- the full refresh (macro stop_if_segment_interactions_left).
{%- if execute and is_incremental() %}
    {%- do stop_if_built_without('loaded_at') %}
    {%- do stop_if_segment_interactions_left() %}
{%- endif %}

{% set columns = [
    ('source_system', dbt.type_string()),
    ('source_record_id', dbt.type_string()),
    ('source_file_name', dbt.type_string()),
    ('source_row_number', dbt.type_bigint()),
    ('interaction_type', dbt.type_string()),
    ('occurred_at', dbt.type_timestamp()),
    ('visitor_id', dbt.type_string()),
    ('email', dbt.type_string()),
    ('segment_user_id', dbt.type_string()),
    ('campaign_id', dbt.type_string()),
    ('campaign_name', dbt.type_string()),
    ('page_url', dbt.type_string()),
    ('url_path', dbt.type_string()),
    ('referrer_domain', dbt.type_string()),
    ('utm_source', dbt.type_string()),
    ('utm_medium', dbt.type_string()),
    ('utm_campaign', dbt.type_string()),
    ('click_id', dbt.type_string()),
    ('click_id_type', dbt.type_string()),
    ('asset_id', dbt.type_string()),
    ('seconds_viewed', 'double'),
    ('pages_viewed', dbt.type_bigint()),
    ('total_pages', dbt.type_bigint()),
    ('minutes_attended', 'double'),
    ('length_minutes', 'double'),
    ('video_percent_complete', 'double'),
    ('video_seconds', 'double'),
    ('duration_seconds', 'double'),
    ('status', dbt.type_string()),
    ('form_type', dbt.type_string()),
    ('meeting_type', dbt.type_string()),
    ('document_type', dbt.type_string()),
    ('tool_name', dbt.type_string()),
    ('attendee_count', dbt.type_bigint()),
    ('loaded_at', dbt.type_timestamp()),
] -%}

{#- the staged rows this run reads: all of them, or on an incremental run those loaded since the watermark #}
{%- set is_new_row = loaded_in_this_run() %}

with

segment_events as (
    select *
    from {{ ref('stg_segment__events') }}
    where {{ segment_event_is_interaction() }}
        and {{ is_new_row }}
),

email_events as (
    select * from {{ ref('stg_email__events') }}
    where {{ is_new_row }}
),

ad_clicks as (
    select * from {{ ref('stg_ads__clicks') }}
    where {{ is_new_row }}
),

form_submissions as (
    select * from {{ ref('stg_forms__submissions') }}
    where {{ is_new_row }}
),

meetings as (
    select * from {{ ref('stg_meetings__meetings') }}
    where {{ is_new_row }}
),

meeting_attendees as (
    select
        meeting_id,
        attendee_email,
        attendee_position
    from {{ ref('stg_meetings__attendees') }}
),

document_views as (
    select * from {{ ref('stg_documents__views') }}
    where {{ is_new_row }}
),

webinar_attendances as (
    select * from {{ ref('stg_webinars__attendances') }}
    where {{ is_new_row }}
),

calls as (
    select * from {{ ref('stg_calls__calls') }}
    where {{ is_new_row }}
),

content_assets as (
    select
        content_id,
        url_path,
        content_type
    from {{ ref('stg_content__assets') }}
),

crm_contacts as (
    select
        contact_id,
        account_id
    from {{ ref('stg_crm__contacts') }}
),

crm_accounts as (
    select account_id
    from {{ ref('stg_crm__accounts') }}
),

contacts_resolved as (
    select
        email,
        contact_id,
        account_id
    from {{ ref('int_contacts_resolved') }}
),

visitors_stitched as (
    select
        visitor_id,
        contact_id,
        valid_from_at,
        valid_to_at
    from {{ ref('int_visitors_stitched') }}
),

ad_clicks_linked as (
    select
        ad_click_id,
        visitor_id
    from {{ ref('int_ad_clicks_linked') }}
),

segment_interactions as (
    select
        'segment' as source_system,
        segment_events.event_id as source_record_id,
        segment_events.source_file_name,
        segment_events.source_row_number,
        case
            when segment_events.event_type = 'page' then 'page_view'
            when segment_events.event_name = 'File Downloaded' then 'content_download'
            when segment_events.event_name = 'Video Progress' then 'video_progress'
            when segment_events.event_name = 'Tool Result' then 'tool_result'
            else 'track_other'
        end as interaction_type,
        segment_events.occurred_at,
        segment_events.anonymous_id as visitor_id,
        segment_events.identified_email as email,
        segment_events.user_id as segment_user_id,
        segment_events.utm_campaign as campaign_name,
        segment_events.page_url,
        segment_events.page_path as url_path,
        segment_events.referrer_domain,
        segment_events.utm_source,
        segment_events.utm_medium,
        segment_events.utm_campaign,
        segment_events.click_id,
        segment_events.click_id_type,
        segment_events.asset_id,
        segment_events.video_percent_complete,
        segment_events.video_seconds,
        segment_events.tool_name,
        segment_events.loaded_at
    from segment_events
),

email_interactions as (
    select
        'email' as source_system,
        email_event_id as source_record_id,
        source_file_name,
        source_row_number,
        'email_' || event_type as interaction_type,
        occurred_at,
        email,
        email_campaign_id as campaign_id,
        email_campaign_name as campaign_name,
        clicked_url as page_url,
        loaded_at
    from email_events
),

ad_click_interactions as (
    select
        'ads' as source_system,
        ad_clicks.ad_click_id as source_record_id,
        ad_clicks.source_file_name,
        ad_clicks.source_row_number,
        'ad_click' as interaction_type,
        ad_clicks.clicked_at as occurred_at,
        ad_clicks.campaign_id,
        ad_clicks.campaign_name,
        ad_clicks.landing_page_url as page_url,
        ad_clicks.ad_click_id as click_id,
        ad_clicks.click_id_type,
        ad_clicks.loaded_at
    from ad_clicks
),

form_interactions as (
    select
        'forms' as source_system,
        submission_id as source_record_id,
        source_file_name,
        source_row_number,
        'form_submission' as interaction_type,
        submitted_at as occurred_at,
        anonymous_id as visitor_id,
        email,
        page_url,
        page_path as url_path,
        asset_id,
        form_type,
        loaded_at
    from form_submissions
),

meeting_attendee_summary as (
    select
        meeting_id,
        min(attendee_position) as first_attendee_position,
        count(*) as attendee_count
    from meeting_attendees
    group by meeting_id
),

meeting_first_attendees as (
    select
        meeting_attendee_summary.meeting_id,
        meeting_attendee_summary.attendee_count,
        meeting_attendees.attendee_email
    from meeting_attendee_summary
    inner join meeting_attendees
        on meeting_attendee_summary.meeting_id = meeting_attendees.meeting_id
            and meeting_attendee_summary.first_attendee_position = meeting_attendees.attendee_position
),

-- one interaction per meeting, credited to its first prospect attendee
meeting_interactions as (
    select
        'meetings' as source_system,
        meetings.meeting_id as source_record_id,
        meetings.source_file_name,
        meetings.source_row_number,
        'meeting' as interaction_type,
        meetings.start_at as occurred_at,
        meeting_first_attendees.attendee_email as email,
        meetings.duration_minutes as length_minutes,
        meetings.status,
        meetings.meeting_type,
        coalesce(meeting_first_attendees.attendee_count, 0) as attendee_count,
        meetings.loaded_at
    from meetings
    left join meeting_first_attendees
        on meetings.meeting_id = meeting_first_attendees.meeting_id
),

document_interactions as (
    select
        'documents' as source_system,
        document_view_id as source_record_id,
        source_file_name,
        source_row_number,
        'document_view' as interaction_type,
        viewed_at as occurred_at,
        viewer_email as email,
        seconds_viewed,
        pages_viewed,
        total_pages,
        document_type,
        loaded_at
    from document_views
),

-- a registrant who never joined interacted when registering
webinar_interactions as (
    select
        'webinars' as source_system,
        attendance_id as source_record_id,
        source_file_name,
        source_row_number,
        'webinar' as interaction_type,
        coalesce(joined_at, registered_at) as occurred_at,
        email,
        webinar_id as campaign_id,
        webinar_name as campaign_name,
        minutes_attended,
        webinar_length_minutes as length_minutes,
        status,
        loaded_at
    from webinar_attendances
),

call_interactions as (
    select
        'calls' as source_system,
        call_id as source_record_id,
        source_file_name,
        source_row_number,
        'call' as interaction_type,
        started_at as occurred_at,
        contact_email as email,
        duration_seconds,
        outcome as status,
        loaded_at
    from calls
),

{%- set sources = {
    'segment_interactions': ['source_system', 'source_record_id', 'source_file_name', 'source_row_number', 'interaction_type', 'occurred_at', 'visitor_id', 'email', 'segment_user_id', 'campaign_name', 'page_url', 'url_path', 'referrer_domain', 'utm_source', 'utm_medium', 'utm_campaign', 'click_id', 'click_id_type', 'asset_id', 'video_percent_complete', 'video_seconds', 'tool_name', 'loaded_at'],
    'email_interactions': ['source_system', 'source_record_id', 'source_file_name', 'source_row_number', 'interaction_type', 'occurred_at', 'email', 'campaign_id', 'campaign_name', 'page_url', 'loaded_at'],
    'ad_click_interactions': ['source_system', 'source_record_id', 'source_file_name', 'source_row_number', 'interaction_type', 'occurred_at', 'campaign_id', 'campaign_name', 'page_url', 'click_id', 'click_id_type', 'loaded_at'],
    'form_interactions': ['source_system', 'source_record_id', 'source_file_name', 'source_row_number', 'interaction_type', 'occurred_at', 'visitor_id', 'email', 'page_url', 'url_path', 'asset_id', 'form_type', 'loaded_at'],
    'meeting_interactions': ['source_system', 'source_record_id', 'source_file_name', 'source_row_number', 'interaction_type', 'occurred_at', 'email', 'length_minutes', 'status', 'meeting_type', 'attendee_count', 'loaded_at'],
    'document_interactions': ['source_system', 'source_record_id', 'source_file_name', 'source_row_number', 'interaction_type', 'occurred_at', 'email', 'seconds_viewed', 'pages_viewed', 'total_pages', 'document_type', 'loaded_at'],
    'webinar_interactions': ['source_system', 'source_record_id', 'source_file_name', 'source_row_number', 'interaction_type', 'occurred_at', 'email', 'campaign_id', 'campaign_name', 'minutes_attended', 'length_minutes', 'status', 'loaded_at'],
    'call_interactions': ['source_system', 'source_record_id', 'source_file_name', 'source_row_number', 'interaction_type', 'occurred_at', 'email', 'duration_seconds', 'status', 'loaded_at'],
} %}

-- every source brings the columns it has; the others are typed nulls
unioned as (
    {%- for source_cte, source_columns in sources.items() %}
        select
        {%- for column_name, column_type in columns %}
                {% if column_name in source_columns -%}
                    cast({{ column_name }} as {{ column_type }}) as {{ column_name }}
                {%- else -%}
                    cast(null as {{ column_type }}) as {{ column_name }}
                {%- endif %}{{ ',' if not loop.last }}
        {%- endfor %}
        from {{ source_cte }}
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

{% if is_incremental() %}
-- the stored rows no new row replaces: identity and content are resolved again for them too
stored as (
    select
        {%- for column_name, column_type in columns %}
        {{ column_name }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ this }}
    where interaction_id not in (
        select unioned.source_system || ':' || unioned.source_record_id from unioned
    )
),
{% endif %}

resolving as (
    select * from unioned
    {%- if is_incremental() %}
    union all
    select * from stored
    {%- endif %}
),

-- ad clicks name no visitor themselves; a Segment userId that is a CRM contact id names one
visitors_linked as (
    select
        resolving.*,
        case
            when resolving.source_system = 'ads' then ad_clicks_linked.visitor_id
            else resolving.visitor_id
        end as linked_visitor_id,
        crm_contacts.contact_id as user_contact_id
    from resolving
    left join ad_clicks_linked
        on resolving.source_system = 'ads'
            and resolving.source_record_id = ad_clicks_linked.ad_click_id
    left join crm_contacts
        on resolving.segment_user_id = crm_contacts.contact_id
),

-- the contact a visitor was at the instant of the event (also before it identified)
stitched_contacts as (
    select
        visitors_linked.source_system,
        visitors_linked.source_record_id,
        visitors_stitched.contact_id
    from visitors_linked
    inner join visitors_stitched
        on visitors_linked.linked_visitor_id = visitors_stitched.visitor_id
            and visitors_linked.occurred_at >= visitors_stitched.valid_from_at
            and (visitors_stitched.valid_to_at is null or visitors_linked.occurred_at < visitors_stitched.valid_to_at)
),

contact_accounts as (
    select
        contact_id,
        max(account_id) as account_id
    from (
        select
            contact_id,
            account_id
        from contacts_resolved
        union all
        -- CRM contacts without an e-mail are reachable only through a Segment userId
        select
            crm_contacts.contact_id,
            crm_accounts.account_id
        from crm_contacts
        inner join crm_accounts
            on crm_contacts.account_id = crm_accounts.account_id
    ) as contact_account_candidates
    group by contact_id
),

-- several catalog entries may share a path: the lowest content id stands for the page
content_by_path_ranked as (
    select
        content_id,
        url_path,
        content_type,
        row_number() over (partition by url_path order by content_id) as path_rank
    from content_assets
),

content_by_path as (
    select
        content_id,
        url_path,
        content_type
    from content_by_path_ranked
    where path_rank = 1
),

identity_resolved as (
    select
        visitors_linked.*,
        coalesce(
            contacts_resolved.contact_id,
            visitors_linked.user_contact_id,
            stitched_contacts.contact_id
        ) as contact_id,
        case
            when contacts_resolved.contact_id is not null then 'email'
            when visitors_linked.user_contact_id is not null then 'user_id'
            when stitched_contacts.contact_id is not null then 'visitor_stitching'
        end as contact_match_method
    from visitors_linked
    left join contacts_resolved
        on visitors_linked.email = contacts_resolved.email
    left join stitched_contacts
        on visitors_linked.source_system = stitched_contacts.source_system
            and visitors_linked.source_record_id = stitched_contacts.source_record_id
),

final as (
    select
        identity_resolved.source_system || ':' || identity_resolved.source_record_id as interaction_id,
        identity_resolved.source_system,
        identity_resolved.source_record_id,
        identity_resolved.source_file_name,
        identity_resolved.source_row_number,
        identity_resolved.interaction_type,
        case identity_resolved.interaction_type
            when 'page_view' then 'page_view'
            when 'content_download' then 'content_download'
            when 'video_progress' then 'video_view'
            when 'tool_result' then 'tool_result'
            when 'email_click' then 'email_click'
            when 'ad_click' then 'ad_click'
            when 'form_submission' then 'form_' || identity_resolved.form_type
            when 'meeting' then 'meeting_' || identity_resolved.meeting_type
            when 'document_view' then 'document_' || identity_resolved.document_type
            when 'webinar' then 'webinar'
            when 'call' then 'call'
        end as touchpoint_type,
        identity_resolved.occurred_at,
        identity_resolved.linked_visitor_id as visitor_id,
        identity_resolved.email,
        identity_resolved.segment_user_id,
        identity_resolved.contact_id,
        contact_accounts.account_id,
        identity_resolved.campaign_id,
        identity_resolved.campaign_name,
        identity_resolved.page_url,
        identity_resolved.url_path,
        identity_resolved.referrer_domain,
        identity_resolved.utm_source,
        identity_resolved.utm_medium,
        identity_resolved.utm_campaign,
        identity_resolved.click_id,
        identity_resolved.click_id_type,
        case
            when identity_resolved.asset_id is not null then content_by_asset.content_id
            else content_by_path.content_id
        end as content_id,
        case
            when identity_resolved.asset_id is not null then content_by_asset.content_type
            else content_by_path.content_type
        end as content_type,
        identity_resolved.seconds_viewed,
        identity_resolved.pages_viewed,
        identity_resolved.total_pages,
        identity_resolved.minutes_attended,
        identity_resolved.length_minutes,
        identity_resolved.video_percent_complete,
        identity_resolved.video_seconds,
        identity_resolved.duration_seconds,
        identity_resolved.status,
        identity_resolved.form_type,
        identity_resolved.meeting_type,
        identity_resolved.document_type,
        identity_resolved.tool_name,
        identity_resolved.attendee_count,
        identity_resolved.asset_id,
        identity_resolved.contact_match_method,
        identity_resolved.loaded_at
    from identity_resolved
    left join contact_accounts
        on identity_resolved.contact_id = contact_accounts.contact_id
    left join content_assets as content_by_asset
        on identity_resolved.asset_id = content_by_asset.content_id
    left join content_by_path
        on identity_resolved.url_path = content_by_path.url_path
),

-- written: the new rows, and the stored rows whose visitor, contact, account, match method or
-- content moved
written as (
    select final.*
    from final
    {%- if is_incremental() %}
    left join {{ this }} as stored
        on final.interaction_id = stored.interaction_id
    where stored.interaction_id is null
        or {{ loaded_since_last_run('final.loaded_at', watermark_column='loaded_at') }}
        {%- for column_name in ['visitor_id', 'contact_id', 'account_id', 'content_id', 'content_type', 'contact_match_method'] %}
        or final.{{ column_name }} is distinct from stored.{{ column_name }}
        {%- endfor %}
    {%- endif %}
)

select * from written
