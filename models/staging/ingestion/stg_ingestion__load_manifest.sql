with

source as (

    select * from {{ source('ingestion', 'load_manifest') }}

),

renamed as (

    select
        coalesce(source_name, 'unknown') || ':' || file_hash as load_id,
        file_hash,
        file_name,
        source_name,
        cast(size_bytes as {{ dbt.type_bigint() }}) as size_bytes,
        cast(rows_read as {{ dbt.type_bigint() }}) as rows_read,
        cast(rows_loaded as {{ dbt.type_bigint() }}) as rows_loaded,
        cast(rows_quarantined as {{ dbt.type_bigint() }}) as rows_quarantined,
        lower(trim(status)) as status,
        error,
        warnings,
        cast(loaded_at as timestamp) as loaded_at
    from source

),

-- The manifest keeps every attempt; the latest one per source and content hash is the outcome
-- (a content is loaded at most once, after which it is skipped and not attempted again).
deduplicated as (

    {{ deduplicate_latest('renamed', ['load_id'], order_by=['loaded_at desc', 'file_name desc']) }}
),

final as (

    select
        load_id,
        file_hash,
        file_name,
        source_name,
        size_bytes,
        rows_read,
        rows_loaded,
        rows_quarantined,
        status,
        error,
        warnings,
        loaded_at
    from deduplicated

)

select * from final
