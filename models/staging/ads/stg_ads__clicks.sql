-- Parsed once: incremental by load. A run parses only the raw rows of files ingested since the
-- last run (macro loads_not_yet_built: their content hash is not in this table yet) and replaces
-- their keys (delete+insert on ad_click_id): a re-exported row in a later file replaces the older
-- one, as deduplicate_latest does on a full build, and an older version never replaces a newer
-- one (macro latest_versions_only). Rows deleted from the raw table stay until
-- `dbt build --full-refresh -s stg_ads__clicks+`.
{{
    config(
        materialized='incremental',
        unique_key='ad_click_id',
        incremental_strategy=incremental_strategy(),
        on_schema_change='fail',
    )
}}

with

source as (

    select * from {{ source('ads', 'ad_clicks') }}
    {% if is_incremental() %}
    where {{ loads_not_yet_built() }}
    {% endif %}

),

renamed as (

    select
        trim(click_id) as ad_click_id,
        lower(nullif(trim(click_id_type), '')) as reported_click_id_type,
        lower(trim(platform)) as platform,
        nullif(trim(campaign_id), '') as campaign_id,
        nullif(trim(campaign_name), '') as campaign_name,
        nullif(trim(ad_group), '') as ad_group,
        nullif(trim(ad_id), '') as ad_id,
        nullif(trim(landing_page_url), '') as landing_page_url,
        cast(clicked_at as timestamp) as clicked_at,
        _file_name as source_file_name,
        _row_number as source_row_number,
        _file_hash as source_file_hash,
        _loaded_at as loaded_at
    from source

),

deduplicated as (

    {{ deduplicate_latest('renamed', ['ad_click_id']) }}
),

-- a row of a file superseded whole by a later re-export is read again: never let it win
deduplicated_latest as (

    {{ latest_versions_only('deduplicated', 'ad_click_id') }}

),

-- Some click reports leave the type empty; the landing URL still says which parameter carried it.
click_id_type_filled as (

    select
        *,
        coalesce(reported_click_id_type, {{ url_click_id_type('landing_page_url') }}, 'other')
            as click_id_type
    from deduplicated_latest

),

final as (

    select
        ad_click_id,
        click_id_type,
        platform,
        campaign_id,
        campaign_name,
        ad_group,
        ad_id,
        landing_page_url,
        clicked_at,
        source_file_name,
        source_row_number,
        source_file_hash,
        loaded_at
    from click_id_type_filled

)

select * from final
