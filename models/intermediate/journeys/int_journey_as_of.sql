-- The one "as of" time of the journey marts: var journey_as_of_at, else the latest touchpoint
-- (not the clock, so a demo run is reproducible).
{% set as_of_at = var('journey_as_of_at', '') %}

with

touchpoints as (

    select occurred_at from {{ ref('fct_touchpoints') }}

),

final as (

    select
        {% if as_of_at %}
        cast('{{ as_of_at }}' as timestamp) as as_of_at
        {% else %}
        coalesce(max(occurred_at), cast({{ dbt.current_timestamp() }} as timestamp)) as as_of_at
        {% endif %}
    from touchpoints

)

select * from final
