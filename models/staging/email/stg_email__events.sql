-- Parsed once: incremental by load. A run parses only the raw rows of files ingested since the
-- last run (macro loads_not_yet_built: their content hash is not in this table yet) and replaces
-- their keys (delete+insert on email_event_id): a re-exported row in a later file replaces the older
-- one, as deduplicate_latest does on a full build, and an older version never replaces a newer
-- one (macro latest_versions_only). Rows deleted from the raw table stay until
-- `dbt build --full-refresh -s stg_email__events+`.
{{
    config(
        materialized='incremental',
        unique_key='email_event_id',
        incremental_strategy=incremental_strategy(),
        on_schema_change='fail',
    )
}}

with

source as (

    select * from {{ source('email', 'email_events') }}
    {% if is_incremental() %}
    where {{ loads_not_yet_built() }}
    {% endif %}

),

renamed as (

    select
        trim(event_id) as email_event_id,
        lower(trim(event_type)) as event_type,
        recipient as email,
        nullif(trim(campaign_id), '') as email_campaign_id,
        nullif(trim(campaign_name), '') as email_campaign_name,
        nullif(trim(subject), '') as subject,
        nullif(trim(url), '') as clicked_url,
        cast({{ adapter.quote('timestamp') }} as timestamp) as occurred_at,
        _file_name as source_file_name,
        _row_number as source_row_number,
        _file_hash as source_file_hash,
        _loaded_at as loaded_at
    from source

),

deduplicated as (

    {{ deduplicate_latest('renamed', ['email_event_id']) }}
),

-- a row of a file superseded whole by a later re-export is read again: never let it win
deduplicated_latest as (

    {{ latest_versions_only('deduplicated', 'email_event_id') }}

),

final as (

    select
        email_event_id,
        event_type,
        email,
        email_campaign_id,
        email_campaign_name,
        subject,
        clicked_url,
        occurred_at,
        source_file_name,
        source_row_number,
        source_file_hash,
        loaded_at
    from deduplicated_latest

)

select * from final
