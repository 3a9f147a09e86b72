with

source as (

    select * from {{ source('documents', 'document_views') }}

),

renamed as (

    select
        trim(view_id) as document_view_id,
        trim(document_id) as document_id,
        lower(trim(document_type)) as document_type,
        nullif(trim(document_name), '') as document_name,
        viewer_email,
        cast(viewed_at as timestamp) as viewed_at,
        cast(seconds_viewed as double) as seconds_viewed,
        cast(pages_viewed as {{ dbt.type_bigint() }}) as pages_viewed,
        cast(total_pages as {{ dbt.type_bigint() }}) as total_pages,
        _file_name as source_file_name,
        _row_number as source_row_number,
        _loaded_at as loaded_at
    from source

),

deduplicated as (

    {{ deduplicate_latest('renamed', ['document_view_id']) }}
),

final as (

    select
        document_view_id,
        document_id,
        document_type,
        document_name,
        viewer_email,
        viewed_at,
        seconds_viewed,
        pages_viewed,
        total_pages,
        source_file_name,
        source_row_number,
        loaded_at
    from deduplicated

)

select * from final
