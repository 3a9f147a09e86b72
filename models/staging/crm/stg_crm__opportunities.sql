with

source as (

    select * from {{ source('crm', 'crm_opportunities') }}

),

renamed as (

    select
        trim(id) as opportunity_id,
        trim(account_id) as account_id,
        nullif(trim(name), '') as opportunity_name,
        trim(stage_name) as stage_name,
        cast(amount as double) as amount,
        cast(created_date as timestamp) as created_at,
        cast(close_date as date) as close_date,
        coalesce(is_closed, false) as is_closed,
        coalesce(is_won, false) as is_won,
        nullif(trim(contact_id), '') as contact_id,
        nullif(trim(lead_source), '') as lead_source,
        coalesce(is_deleted, false) as is_deleted,
        _file_name as source_file_name,
        _row_number as source_row_number,
        _loaded_at as loaded_at
    from source

),

-- Deduplicate first: when the latest export of an opportunity says deleted, it is gone.
deduplicated as (

    {{ deduplicate_latest('renamed', ['opportunity_id']) }}
),

live_opportunities as (

    select *
    from deduplicated
    where not is_deleted

),

final as (

    select
        opportunity_id,
        account_id,
        opportunity_name,
        stage_name,
        amount,
        created_at,
        close_date,
        case when is_closed then cast(close_date as timestamp) end as closed_at,
        is_closed,
        is_won,
        contact_id,
        lead_source,
        source_file_name,
        source_row_number,
        loaded_at
    from live_opportunities

)

select * from final
