-- Every raw row of every loaded file is accounted for: for each source and content in the load
-- manifest (its latest attempt), rows read = rows loaded + rows quarantined, and the raw tables
-- and the quarantine hold exactly those counts for the source and hash. Returns the files that
-- do not reconcile.
-- Reads raw sources only: shown in Dagster as an asset check of stg_ingestion__load_manifest
-- (the dependency below makes dbt run it with that model).
-- depends_on: {{ ref('stg_ingestion__load_manifest') }}
{{ config(meta={'dagster': {'ref': {'name': 'stg_ingestion__load_manifest'}}}) }}
{%- set raw_tables = [
    ('segment', 'web_events'), ('email', 'email_events'), ('ads', 'ad_clicks'), ('ads', 'ad_spend'),
    ('forms', 'form_submissions'), ('meetings', 'meetings'), ('documents', 'document_views'),
    ('webinars', 'webinar_attendance'), ('calls', 'calls'), ('crm', 'crm_accounts'),
    ('crm', 'crm_contacts'), ('crm', 'crm_opportunities'), ('crm', 'crm_opportunity_history'),
    ('content', 'content_catalog'),
] %}

with

attempts as (
    select
        file_name,
        file_hash,
        coalesce(source_name, 'unknown') as source_name,
        status,
        rows_read,
        rows_loaded,
        rows_quarantined,
        loaded_at
    from {{ source('ingestion', 'load_manifest') }}
),

manifest as (
    {{ deduplicate_latest('attempts', ['source_name', 'file_hash'], order_by=['loaded_at desc', 'file_name desc']) }}
),

raw_rows as (
    {% for system, table in raw_tables %}
        select
            '{{ table }}' as source_name,
            _file_hash as file_hash,
            count(*) as row_count
        from {{ source(system, table) }}
        group by _file_hash
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

quarantined_rows as (
    select
        source_name,
        file_hash,
        count(*) as row_count
    from {{ source('ingestion', 'quarantine') }}
    group by source_name, file_hash
),

reconciled as (
    select
        manifest.file_name,
        manifest.status,
        manifest.rows_read,
        manifest.rows_loaded,
        manifest.rows_quarantined,
        coalesce(raw_rows.row_count, 0) as rows_in_raw_tables,
        coalesce(quarantined_rows.row_count, 0) as rows_in_quarantine
    from manifest
    left join raw_rows
        on manifest.file_hash = raw_rows.file_hash and manifest.source_name = raw_rows.source_name
    left join quarantined_rows
        on manifest.file_hash = quarantined_rows.file_hash and manifest.source_name = quarantined_rows.source_name
)

select *
from reconciled
where rows_read <> rows_loaded + rows_quarantined
    or rows_in_raw_tables <> rows_loaded
    or rows_in_quarantine <> rows_quarantined
    or (status = 'failed' and rows_in_raw_tables + rows_in_quarantine > 0)
