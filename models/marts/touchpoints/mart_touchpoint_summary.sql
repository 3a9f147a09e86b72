-- How many interactions each source system contributed and how many were kept as touchpoints.

with

interactions as (
    select
        source_system,
        is_touchpoint
    from {{ ref('fct_interactions') }}
),

final as (
    select
        source_system,
        count(*) as interactions,
        sum(case when is_touchpoint then 1 else 0 end) as touchpoints,
        {{ round_half_up('sum(case when is_touchpoint then 1 else 0 end) / count(*)', 4) }} as touchpoint_share
    from interactions
    group by source_system
)

{{ select_contract_columns('final') }}
