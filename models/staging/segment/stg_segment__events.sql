-- Parsed once: incremental by load. A run parses only the raw rows of files ingested since the
-- last run (macro loads_not_yet_built: their content hash is not in this table yet) and replaces
-- their keys (delete+insert on event_id): a re-exported row in a later file replaces the older
-- one, as deduplicate_latest does on a full build, and an older version never replaces a newer
-- one (macro latest_versions_only). Rows deleted from the raw table stay until
-- `dbt build --full-refresh -s stg_segment__events+`.
{{
    config(
        materialized='incremental',
        unique_key='event_id',
        incremental_strategy=incremental_strategy(),
        on_schema_change='fail',
    )
}}

{%- if execute and is_incremental() %}
    {%- do stop_if_built_without('earliest_occurred_at') %}
{%- endif %}

with

source as (

    select * from {{ source('segment', 'web_events') }}
    {% if is_incremental() %}
    where {{ loads_not_yet_built() }}
    {% endif %}

),

renamed as (

    select
        trim(message_id) as event_id,
        lower(trim(type)) as event_type,
        nullif(trim(event), '') as event_name,
        nullif(trim(anonymous_id), '') as anonymous_id,
        nullif(trim(user_id), '') as user_id,
        traits_email,
        cast({{ adapter.quote('timestamp') }} as timestamp) as occurred_at,
        nullif(trim(context_page_url), '') as page_url,
        nullif(trim(context_page_path), '') as reported_page_path,
        nullif(trim(context_page_referrer), '') as referrer_url,
        nullif(trim(context_page_title), '') as page_title,
        nullif(trim(context_campaign_source), '') as campaign_source,
        nullif(trim(context_campaign_medium), '') as campaign_medium,
        nullif(trim(context_campaign_name), '') as campaign_name,
        nullif(trim(context_campaign_content), '') as campaign_content,
        nullif(trim(context_campaign_term), '') as campaign_term,
        nullif(trim(properties), '') as properties,
        _file_name as source_file_name,
        _row_number as source_row_number,
        _file_hash as source_file_hash,
        _loaded_at as loaded_at
    from source

),

-- The earliest time any export of the event gave it (every version in the raw layer): a
-- re-export that moves an event in time changes the sessions at its old place as well as at
-- its new one, and the session models recompute a visitor from there (macro
-- visitor_window_scope). A window over the partition the deduplication sorts anyway.
versions_dated as (

    select
        *,
        min(occurred_at) over (partition by event_id) as versions_earliest_occurred_at
    from renamed

),

deduplicated as (

    {{ deduplicate_latest('versions_dated', ['event_id']) }}
),

-- a row of a file superseded whole by a later re-export is read again: never let it win
deduplicated_latest as (

    {{ latest_versions_only('deduplicated', 'event_id') }}

),

-- on an incremental run, the versions of earlier runs count too (the earliest is kept)
earliest_found as (

    {% if is_incremental() %}
    select
        deduplicated_latest.*,
        case
            when built.earliest_occurred_at < deduplicated_latest.versions_earliest_occurred_at
                then built.earliest_occurred_at
            else deduplicated_latest.versions_earliest_occurred_at
        end as earliest_occurred_at
    from deduplicated_latest
    left join {{ this }} as built
        on deduplicated_latest.event_id = built.event_id
    {% else %}
        select
            *,
            versions_earliest_occurred_at as earliest_occurred_at
        from deduplicated_latest
    {% endif %}

),

-- Only a URL with a query string can carry a parameter: the others skip the regular
-- expressions below (three in four page URLs have none; same result, a fraction of the work).
query_strings_found as (

    select
        *,
        case
            when page_url like '%?%' or page_url like '%&%' then page_url
        end as page_url_with_query
    from earliest_found

),

-- Segment fills context.campaign from the URL itself; the URL is the fallback when it did not.
url_parameters_parsed as (

    select
        *,
        lower(coalesce(campaign_source, {{ url_query_parameter('page_url_with_query', 'utm_source') }})) as utm_source,
        lower(coalesce(campaign_medium, {{ url_query_parameter('page_url_with_query', 'utm_medium') }})) as utm_medium,
        coalesce(campaign_name, {{ url_query_parameter('page_url_with_query', 'utm_campaign') }}) as utm_campaign,
        coalesce(campaign_content, {{ url_query_parameter('page_url_with_query', 'utm_content') }}) as utm_content,
        coalesce(campaign_term, {{ url_query_parameter('page_url_with_query', 'utm_term') }}) as utm_term,
        {{ url_click_id('page_url_with_query') }} as click_id,
        {{ url_click_id_type('page_url_with_query') }} as click_id_type,
        {{ url_query_parameter('page_url_with_query', var('staging_email_token_parameter')) }} as email_token
    from query_strings_found

),

-- A property is parsed only where its quoted name occurs in the text (most events are
-- heartbeats carrying interval_seconds alone): macro json_property_if_named.
properties_parsed as (

    select
        *,
        {{ dbt.safe_cast(json_property_if_named('properties', 'interval_seconds'), 'double') }}
            as heartbeat_interval_seconds,
        nullif(trim({{ json_property_if_named('properties', 'page_view_id') }}), '') as page_view_id,
        nullif(trim({{ json_property_if_named('properties', 'asset_id') }}), '') as asset_id,
        {{ dbt.safe_cast(json_property_if_named('properties', 'percent_complete'), 'double') }}
            as video_percent_complete,
        {{ dbt.safe_cast(json_property_if_named('properties', 'video_seconds'), 'double') }}
            as video_seconds,
        nullif(trim({{ json_property_if_named('properties', 'tool') }}), '') as tool_name,
        nullif(trim({{ json_property_if_named('properties', 'result') }}), '') as tool_result
    from url_parameters_parsed

),

-- userId is our contact e-mail or CRM contact id; only the e-mail form identifies by itself.
identity_derived as (

    select
        *,
        coalesce(
            traits_email,
            {{ regex_extract('lower(user_id)', '^([^@ ]+@[^@ ]+[.][^@ ]+)$') }}
        ) as identified_email,
        {{ url_path('coalesce(reported_page_path, page_url)') }} as page_path,
        {{ url_domain('referrer_url') }} as referrer_domain
    from properties_parsed

),

final as (

    select
        event_id,
        event_type,
        event_name,
        anonymous_id,
        user_id,
        identified_email,
        occurred_at,
        earliest_occurred_at,
        page_url,
        page_path,
        referrer_url,
        referrer_domain,
        page_title,
        utm_source,
        utm_medium,
        utm_campaign,
        utm_content,
        utm_term,
        click_id,
        click_id_type,
        email_token,
        heartbeat_interval_seconds,
        page_view_id,
        asset_id,
        video_percent_complete,
        video_seconds,
        tool_name,
        tool_result,
        properties,
        source_file_name,
        source_row_number,
        source_file_hash,
        loaded_at
    from identity_derived

)

select * from final
