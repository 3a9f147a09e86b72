with

source as (

    select * from {{ source('crm', 'crm_accounts') }}

),

renamed as (

    select
        trim(id) as account_id,
        trim(name) as account_name,
        nullif(trim(website), '') as website,
        nullif(trim(industry), '') as industry,
        cast(number_of_employees as {{ dbt.type_bigint() }}) as employee_count,
        nullif(trim(billing_country), '') as billing_country,
        cast(created_date as timestamp) as created_at,
        coalesce(is_deleted, false) as is_deleted,
        _file_name as source_file_name,
        _row_number as source_row_number,
        _loaded_at as loaded_at
    from source

),

-- Deduplicate first: when the latest export of an account says deleted, the account is gone.
deduplicated as (

    {{ deduplicate_latest('renamed', ['account_id']) }}
),

live_accounts as (

    select *
    from deduplicated
    where not is_deleted

),

final as (

    select
        account_id,
        account_name,
        website,
        {{ url_domain('website') }} as account_domain,
        industry,
        employee_count,
        billing_country,
        created_at,
        source_file_name,
        source_row_number,
        loaded_at
    from live_accounts

)

select * from final
