with

source as (

    select * from {{ source('forms', 'form_submissions') }}

),

renamed as (

    select
        trim(submission_id) as submission_id,
        nullif(trim(form_id), '') as form_id,
        lower(trim(form_type)) as form_type,
        email,
        nullif(trim(first_name), '') as first_name,
        nullif(trim(last_name), '') as last_name,
        nullif(trim(company), '') as company,
        nullif(trim(anonymous_id), '') as anonymous_id,
        nullif(trim(page_url), '') as page_url,
        nullif(trim(asset_id), '') as asset_id,
        cast(submitted_at as timestamp) as submitted_at,
        _file_name as source_file_name,
        _row_number as source_row_number,
        _loaded_at as loaded_at
    from source

),

deduplicated as (

    {{ deduplicate_latest('renamed', ['submission_id']) }}
),

final as (

    select
        submission_id,
        form_id,
        form_type,
        email,
        first_name,
        last_name,
        company,
        anonymous_id,
        page_url,
        {{ url_path('page_url') }} as page_path,
        asset_id,
        submitted_at,
        source_file_name,
        source_row_number,
        loaded_at
    from deduplicated

)

select * from final
