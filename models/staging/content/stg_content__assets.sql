with

source as (

    select * from {{ source('content', 'content_catalog') }}

),

renamed as (

    select
        trim(content_id) as content_id,
        {{ url_path('trim(url_path)') }} as url_path,
        nullif(trim(title), '') as title,
        lower(trim(content_type)) as content_type,
        nullif(trim(topic), '') as topic,
        cast(word_count as {{ dbt.type_bigint() }}) as word_count,
        cast(video_seconds as double) as video_seconds,
        cast(expected_seconds as double) as expected_seconds,
        _file_name as source_file_name,
        _row_number as source_row_number,
        _loaded_at as loaded_at
    from source

),

deduplicated as (

    {{ deduplicate_latest('renamed', ['content_id']) }}
),

final as (

    select
        content_id,
        url_path,
        title,
        content_type,
        topic,
        word_count,
        video_seconds,
        expected_seconds,
        source_file_name,
        source_row_number,
        loaded_at
    from deduplicated

)

select * from final
