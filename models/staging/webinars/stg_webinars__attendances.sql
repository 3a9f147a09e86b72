with

source as (

    select * from {{ source('webinars', 'webinar_attendance') }}

),

renamed as (

    select
        trim(attendance_id) as attendance_id,
        trim(webinar_id) as webinar_id,
        nullif(trim(webinar_name), '') as webinar_name,
        email,
        lower(trim(status)) as status,
        cast(registered_at as timestamp) as registered_at,
        cast(joined_at as timestamp) as joined_at,
        cast(minutes_attended as double) as minutes_attended,
        cast(webinar_length_minutes as double) as webinar_length_minutes,
        _file_name as source_file_name,
        _row_number as source_row_number,
        _loaded_at as loaded_at
    from source

),

deduplicated as (

    {{ deduplicate_latest('renamed', ['attendance_id']) }}
),

final as (

    select
        attendance_id,
        webinar_id,
        webinar_name,
        email,
        status,
        registered_at,
        joined_at,
        minutes_attended,
        webinar_length_minutes,
        source_file_name,
        source_row_number,
        loaded_at
    from deduplicated

)

select * from final
