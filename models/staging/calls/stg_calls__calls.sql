with

source as (

    select * from {{ source('calls', 'calls') }}

),

renamed as (

    select
        trim(call_id) as call_id,
        lower(trim(direction)) as direction,
        contact_email,
        cast(started_at as timestamp) as started_at,
        cast(duration_seconds as double) as duration_seconds,
        lower(nullif(trim(outcome), '')) as outcome,
        rep_email,
        _file_name as source_file_name,
        _row_number as source_row_number,
        _loaded_at as loaded_at
    from source

),

deduplicated as (

    {{ deduplicate_latest('renamed', ['call_id']) }}
),

final as (

    select
        call_id,
        direction,
        contact_email,
        started_at,
        duration_seconds,
        outcome,
        rep_email,
        source_file_name,
        source_row_number,
        loaded_at
    from deduplicated

)

select * from final
