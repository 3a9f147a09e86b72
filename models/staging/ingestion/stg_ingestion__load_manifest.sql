with

source as (

    select * from {{ source('ingestion', 'load_manifest') }}

),

renamed as (

    select
        file_hash,
        file_name,
        source_name,
        cast(size_bytes as {{ dbt.type_bigint() }}) as size_bytes,
        cast(rows_read as {{ dbt.type_bigint() }}) as rows_read,
        cast(rows_loaded as {{ dbt.type_bigint() }}) as rows_loaded,
        cast(rows_quarantined as {{ dbt.type_bigint() }}) as rows_quarantined,
        lower(trim(status)) as status,
        error,
        cast(loaded_at as timestamp) as loaded_at
    from source

),

-- One row per file hash is the loader's promise; keep the latest attempt should it ever break it.
deduplicated as (

    {{ deduplicate_latest('renamed', ['file_hash'], order_by=['loaded_at desc', 'file_name desc']) }}

),

final as (

    select
        file_hash,
        file_name,
        source_name,
        size_bytes,
        rows_read,
        rows_loaded,
        rows_quarantined,
        status,
        error,
        loaded_at
    from deduplicated

)

select * from final
