with

source as (

    select * from {{ source('crm', 'crm_opportunity_history') }}

),

renamed as (

    select
        trim(id) as stage_change_id,
        trim(opportunity_id) as opportunity_id,
        trim(stage_name) as stage_name,
        cast(amount as double) as amount,
        cast(close_date as date) as close_date,
        cast(created_date as timestamp) as changed_at,
        _file_name as source_file_name,
        _row_number as source_row_number,
        _loaded_at as loaded_at
    from source

),

deduplicated as (

    {{ deduplicate_latest('renamed', ['stage_change_id']) }}
),

final as (

    select
        stage_change_id,
        opportunity_id,
        stage_name,
        amount,
        close_date,
        changed_at,
        source_file_name,
        source_row_number,
        loaded_at
    from deduplicated

)

select * from final
