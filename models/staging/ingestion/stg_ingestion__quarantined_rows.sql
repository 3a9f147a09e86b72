with

source as (

    select * from {{ source('ingestion', 'quarantine') }}

),

final as (

    select
        file_hash,
        {{ adapter.quote('row_number') }} as row_number,
        file_name,
        source_name,
        field_name,
        reason,
        {{ regex_extract('reason', '^([a-z_]+):') }} as reason_code,
        bad_value,
        raw_record,
        cast(quarantined_at as timestamp) as quarantined_at
    from source

)

select * from final
