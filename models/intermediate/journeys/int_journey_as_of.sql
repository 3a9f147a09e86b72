-- The one "as of" time of the journey marts: var journey_as_of_at, else the latest touchpoint
-- (not the clock, so a demo run is reproducible), but never later than the latest load time:
-- a touchpoint dated in the future must not make every account decay (ingestion quarantines
-- implausible timestamps; this is the second line of defence, e.g. a meeting booked ahead).
{% set as_of_at = var('journey_as_of_at', '') %}

with

touchpoints as (

    select occurred_at from {{ ref('fct_touchpoints') }}

),

loads as (

    select max(loaded_at) as loaded_at
    from {{ ref('stg_ingestion__load_manifest') }}
    where status = 'loaded'

),

latest as (

    select max(occurred_at) as occurred_at from touchpoints

),

final as (

    select
        {% if as_of_at %}
        cast('{{ as_of_at }}' as timestamp) as as_of_at
        {% else %}
            case
                when latest.occurred_at is null or loads.loaded_at is null
                    then coalesce(latest.occurred_at, loads.loaded_at, cast({{ dbt.current_timestamp() }} as timestamp))
                when latest.occurred_at > loads.loaded_at then loads.loaded_at
                else latest.occurred_at
            end as as_of_at
        {% endif %}
    from latest
    cross join loads

)

select * from final
