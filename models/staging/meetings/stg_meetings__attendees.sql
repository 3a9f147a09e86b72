-- Reads the raw source itself (staging never reads staging): the same trimming and
-- latest-export-wins rule as stg_meetings__meetings, for the columns needed here.
with

source as (

    select * from {{ source('meetings', 'meetings') }}

),

renamed as (

    select
        trim(meeting_id) as meeting_id,
        organizer_email,
        nullif(trim(attendee_emails), '') as attendee_emails,
        _file_name as source_file_name,
        _row_number as source_row_number,
        _loaded_at as loaded_at
    from source

),

meetings as (

    {{ deduplicate_latest('renamed', ['meeting_id']) }}
),

attendee_list_split as (

    {{ split_to_rows(
        relation='meetings',
        carried_columns=['meeting_id', 'organizer_email', 'source_file_name', 'source_row_number', 'loaded_at'],
        list_column='attendee_emails',
        delimiter=var('staging_attendee_separator'),
        value_alias='listed_email',
        position_alias='listed_position'
    ) }}
),

attendee_emails_cleaned as (

    select
        meeting_id,
        organizer_email,
        nullif(lower(trim(listed_email)), '') as attendee_email,
        listed_position,
        source_file_name,
        source_row_number,
        loaded_at
    from attendee_list_split

),

-- The export lists prospects only, but an organizer copied into the list is not a prospect.
prospect_attendees as (

    select *
    from attendee_emails_cleaned
    where
        attendee_email is not null
        and (organizer_email is null or attendee_email <> organizer_email)

),

positions_renumbered as (

    select
        *,
        row_number() over (
            partition by meeting_id
            order by listed_position
        ) as attendee_position
    from prospect_attendees

),

final as (

    select
        {{ dbt.concat(['meeting_id', "':'", 'cast(attendee_position as ' ~ dbt.type_string() ~ ')']) }}
            as meeting_attendee_id,
        meeting_id,
        attendee_email,
        attendee_position,
        source_file_name,
        source_row_number,
        loaded_at
    from positions_renumbered

)

select * from final
