with

source as (

    select * from {{ source('meetings', 'meetings') }}

),

renamed as (

    select
        trim(meeting_id) as meeting_id,
        lower(trim(meeting_type)) as meeting_type,
        lower(trim(status)) as status,
        nullif(trim(title), '') as title,
        cast(booked_at as timestamp) as booked_at,
        cast(start_at as timestamp) as start_at,
        cast(duration_minutes as {{ dbt.type_bigint() }}) as duration_minutes,
        organizer_email,
        nullif(trim(attendee_emails), '') as attendee_emails,
        _file_name as source_file_name,
        _row_number as source_row_number,
        _loaded_at as loaded_at
    from source

),

deduplicated as (

    {{ deduplicate_latest('renamed', ['meeting_id']) }}
),

final as (

    select
        meeting_id,
        meeting_type,
        status,
        title,
        booked_at,
        start_at,
        duration_minutes,
        organizer_email,
        attendee_emails,
        source_file_name,
        source_row_number,
        loaded_at
    from deduplicated

)

select * from final
