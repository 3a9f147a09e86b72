-- Every interaction, with the seconds its page or video is expected to take
-- (expected_time_source says which rule applied; page views and videos only):
--   catalog_expected_seconds  the content catalog's explicit expected_seconds
--   video_length              the video's length (catalog, else the event's video_seconds)
--   word_count                catalog word count at var('tp_reading_words_per_minute')
--   content_type_default      seed content_type_expected_seconds for the content type
--                             (a page not in the catalog, and a content type the seed does not
--                             list, use the seed's 'other' row)
--   global_default            var('tp_default_expected_seconds') when the seed lacks the type
-- A page is matched to the catalog by content_id, else by url_path.
-- The union's columns the feature chain and fct_interactions read are carried; the rest
-- (e-mail address, page URL, utm_campaign, Segment userId, load time, ...) stay in
-- int_interactions_unioned, so the seven incremental feature tables are narrower.
-- Incremental per interaction: a run recomputes the interactions of the change set
-- (int_interactions_changed, macro in_change_set) and replaces them (delete+insert).
{{
    config(
        materialized='incremental',
        unique_key='interaction_id',
        incremental_strategy=incremental_strategy(),
    )
}}

with

interactions as (
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
        account_id,
        campaign_id,
        campaign_name,
        url_path,
        referrer_domain,
        utm_source,
        utm_medium,
        click_id,
        click_id_type,
        content_id,
        content_type,
        seconds_viewed,
        pages_viewed,
        total_pages,
        minutes_attended,
        length_minutes,
        video_percent_complete,
        video_seconds,
        status,
        form_type,
        meeting_type
    from {{ ref('int_interactions_unioned') }}
    where {{ in_change_set() }}
),

assets as (
    select
        content_id,
        url_path,
        content_type,
        word_count,
        video_seconds,
        expected_seconds
    from {{ ref('stg_content__assets') }}
),

content_type_defaults as (
    select
        content_type,
        expected_seconds
    from {{ ref('content_type_expected_seconds') }}
),

other_content_type_default as (
    select expected_seconds
    from content_type_defaults
    where content_type = 'other'
),

-- two catalog rows may share a path: the lowest content id serves it
assets_by_path_ranked as (
    select
        *,
        row_number() over (partition by url_path order by content_id) as path_rank
    from assets
),

assets_by_path as (
    select * from assets_by_path_ranked where path_rank = 1
),

interactions_with_content as (
    select
        interactions.*,
        coalesce(by_id.content_id, by_path.content_id) as catalog_content_id,
        coalesce(by_id.content_type, by_path.content_type, interactions.content_type, 'other')
            as resolved_content_type,
        coalesce(by_id.word_count, by_path.word_count) as catalog_word_count,
        coalesce(by_id.video_seconds, by_path.video_seconds, interactions.video_seconds)
            as resolved_video_seconds,
        coalesce(by_id.expected_seconds, by_path.expected_seconds) as catalog_expected_seconds
    from interactions
    left join assets as by_id
        on interactions.content_id = by_id.content_id
    left join assets_by_path as by_path
        on interactions.content_id is null
            and interactions.url_path = by_path.url_path
),

expected_time_sourced as (
    select
        interactions_with_content.*,
        case
            when interactions_with_content.interaction_type not in ('page_view', 'video_progress') then null
            when interactions_with_content.catalog_expected_seconds > 0 then 'catalog_expected_seconds'
            when (
                interactions_with_content.interaction_type = 'video_progress'
                or interactions_with_content.resolved_content_type = 'video'
            )
            and interactions_with_content.resolved_video_seconds > 0 then 'video_length'
            when interactions_with_content.catalog_word_count > 0 then 'word_count'
            when coalesce(content_type_defaults.expected_seconds, other_content_type_default.expected_seconds) > 0
                then 'content_type_default'
            else 'global_default'
        end as expected_time_source,
        coalesce(content_type_defaults.expected_seconds, other_content_type_default.expected_seconds)
            as content_type_default_seconds
    from interactions_with_content
    left join content_type_defaults
        on interactions_with_content.resolved_content_type = content_type_defaults.content_type
    -- a left join, so a seed without an 'other' row drops nothing
    left join other_content_type_default
        on 1 = 1
),

final as (
    select
        *,
        cast(case expected_time_source
            when 'catalog_expected_seconds' then catalog_expected_seconds
            when 'video_length' then resolved_video_seconds
            when 'word_count' then catalog_word_count * 60 / {{ var('tp_reading_words_per_minute') }}
            when 'content_type_default' then content_type_default_seconds
            when 'global_default' then {{ var('tp_default_expected_seconds') }}
        end as double) as expected_seconds
    from expected_time_sourced
)

select * from final
