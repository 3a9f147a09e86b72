with

source as (

    select * from {{ source('ads', 'ad_spend') }}

),

renamed as (

    select
        cast({{ adapter.quote('date') }} as date) as spend_date,
        lower(trim(platform)) as platform,
        trim(campaign_id) as campaign_id,
        nullif(trim(campaign_name), '') as campaign_name,
        lower(nullif(trim(channel), '')) as channel,
        cast(spend as double) as spend,
        cast(impressions as {{ dbt.type_bigint() }}) as impressions,
        cast(clicks as {{ dbt.type_bigint() }}) as clicks,
        upper(nullif(trim(currency), '')) as currency,
        _file_name as source_file_name,
        _row_number as source_row_number,
        _loaded_at as loaded_at
    from source

),

keyed as (

    select
        {{ dbt.concat([
            'cast(spend_date as ' ~ dbt.type_string() ~ ')', "'-'", 'platform', "'-'", 'campaign_id'
        ]) }} as spend_id,
        *
    from renamed

),

deduplicated as (

    {{ deduplicate_latest('keyed', ['spend_id']) }}
),

final as (

    select
        spend_id,
        spend_date,
        platform,
        campaign_id,
        campaign_name,
        channel,
        spend,
        impressions,
        clicks,
        currency,
        source_file_name,
        source_row_number,
        loaded_at
    from deduplicated

)

select * from final
