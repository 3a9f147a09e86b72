with

source as (

    select * from {{ source('crm', 'crm_contacts') }}

),

renamed as (

    select
        trim(id) as contact_id,
        nullif(trim(account_id), '') as account_id,
        email,
        nullif(trim(first_name), '') as first_name,
        nullif(trim(last_name), '') as last_name,
        nullif(trim(title), '') as title,
        nullif(trim(lead_source), '') as lead_source,
        cast(created_date as timestamp) as created_at,
        coalesce(is_deleted, false) as is_deleted,
        _file_name as source_file_name,
        _row_number as source_row_number,
        _loaded_at as loaded_at
    from source

),

-- Deduplicate first: when the latest export of a contact says deleted, the contact is gone.
deduplicated as (

    {{ deduplicate_latest('renamed', ['contact_id']) }}
),

live_contacts as (

    select *
    from deduplicated
    where not is_deleted

),

final as (

    select
        contact_id,
        account_id,
        email,
        {{ email_domain('email') }} as email_domain,
        first_name,
        last_name,
        title,
        lead_source,
        created_at,
        source_file_name,
        source_row_number,
        loaded_at
    from live_contacts

)

select * from final
