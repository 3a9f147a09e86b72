-- Quarantined landing rows by source, field and reason, with the share of the source's rows
-- they are: the data-quality view of the published layer (the rows themselves stay in
-- raw.quarantine, which readers do not get).

with

quarantined_rows as (

    select * from {{ ref('stg_ingestion__quarantined_rows') }}

),

load_manifest as (

    select * from {{ ref('stg_ingestion__load_manifest') }}

),

rows_read_per_source as (

    select
        source_name,
        sum(rows_read) as source_rows_read
    from load_manifest
    where status = 'loaded'
    group by 1

),

quarantine_grouped as (

    select
        coalesce(source_name, 'unknown') as source_name,
        coalesce(field_name, '(row)') as field_name,
        coalesce(reason_code, 'unknown') as reason_code,
        count(*) as rows_quarantined,
        count(distinct file_hash) as files,
        min(quarantined_at) as first_quarantined_at,
        max(quarantined_at) as last_quarantined_at,
        min(file_name || ' row ' || cast(row_number as {{ dbt.type_string() }})) as example_location,
        min(reason) as example_reason
    from quarantined_rows
    group by 1, 2, 3

),

final as (

    select
        quarantine_grouped.source_name || ':' || quarantine_grouped.field_name || ':'
        || quarantine_grouped.reason_code as quarantine_group_id,
        quarantine_grouped.source_name,
        quarantine_grouped.field_name,
        quarantine_grouped.reason_code,
        cast(quarantine_grouped.rows_quarantined as bigint) as rows_quarantined,
        cast(quarantine_grouped.files as bigint) as files,
        cast(rows_read_per_source.source_rows_read as bigint) as source_rows_read,
        cast(
            quarantine_grouped.rows_quarantined
            / nullif(cast(rows_read_per_source.source_rows_read as double), 0) as double
        ) as share_of_source_rows,
        quarantine_grouped.first_quarantined_at,
        quarantine_grouped.last_quarantined_at,
        quarantine_grouped.example_location,
        quarantine_grouped.example_reason
    from quarantine_grouped
    left join rows_read_per_source
        on quarantine_grouped.source_name = rows_read_per_source.source_name

)

{{ select_contract_columns('final') }}
