-- Custom model: weights an analyst edits in the seed attribution_custom_weights.
--   position weight = sum of the seed weights of the position roles the touch holds
--                     (first, last, lead, opportunity, won); 'middle' when it holds none of
--                     them (1 when the seed has no 'middle' row)
--   type weight     = the seed weight of its touchpoint_type (1 when absent)
--   credit          = position weight * type weight, normalised per conversion (an equal
--                     split if every weight is 0). Rounded like the other rule models.
-- Incremental by conversion: only the conversions whose input_fingerprint
-- (int_attribution__conversion_inputs) this table does not hold are computed; the rows of
-- changed or vanished conversions leave (see mart_attribution_credits).
{{
    config(
        materialized='incremental',
        unique_key='conversion_id',
        incremental_strategy=incremental_strategy(),
        meta=attribution_credits_meta(),
    )
}}

with

-- the conversions this run computes
recomputed as (
    {{ recomputed_keys_sql('int_attribution__conversion_inputs', 'conversion_id', 'input_fingerprint') }}
),

paths as (
    select
        paths.conversion_id,
        paths.touchpoint_id,
        paths.revenue,
        paths.touchpoint_type,
        paths.is_first_touch,
        paths.is_last_touch,
        paths.is_lead_touch,
        paths.is_opportunity_touch,
        paths.is_won_touch,
        recomputed.input_fingerprint
    from {{ ref('int_attribution__paths') }} as paths
    inner join recomputed
        on paths.conversion_id = recomputed.conversion_id
    where {{ 'true' if 'custom' in var('attribution_models') else 'false' }}
),

custom_weights as (
    select
        dimension,
        value,
        cast(weight as double) as weight
    from {{ ref('attribution_custom_weights') }}
),

position_weights as (
    select
        max(case when value = 'first' then weight end) as first_weight,
        max(case when value = 'last' then weight end) as last_weight,
        max(case when value = 'lead' then weight end) as lead_weight,
        max(case when value = 'opportunity' then weight end) as opportunity_weight,
        max(case when value = 'won' then weight end) as won_weight,
        coalesce(max(case when value = 'middle' then weight end), 1) as middle_weight
    from custom_weights
    where dimension = 'position'
),

type_weights as (
    select
        value as touchpoint_type,
        weight
    from custom_weights
    where dimension = 'touchpoint_type'
),

position_weighted as (
    select
        paths.*,
        coalesce(
            case when paths.is_first_touch then position_weights.first_weight end,
            case when paths.is_last_touch then position_weights.last_weight end,
            case when paths.is_lead_touch then position_weights.lead_weight end,
            case when paths.is_opportunity_touch then position_weights.opportunity_weight end,
            case when paths.is_won_touch then position_weights.won_weight end
        ) as first_held_role_weight,
        coalesce(case when paths.is_first_touch then position_weights.first_weight end, 0)
        + coalesce(case when paths.is_last_touch then position_weights.last_weight end, 0)
        + coalesce(case when paths.is_lead_touch then position_weights.lead_weight end, 0)
        + coalesce(case when paths.is_opportunity_touch then position_weights.opportunity_weight end, 0)
        + coalesce(case when paths.is_won_touch then position_weights.won_weight end, 0) as role_weight,
        position_weights.middle_weight
    from paths
    cross join position_weights
),

weighted as (
    select
        position_weighted.conversion_id,
        position_weighted.touchpoint_id,
        position_weighted.revenue,
        position_weighted.input_fingerprint,
        case
            when position_weighted.first_held_role_weight is null
                then position_weighted.middle_weight
            else position_weighted.role_weight
        end * coalesce(type_weights.weight, 1) as raw_weight
    from position_weighted
    left join type_weights
        on position_weighted.touchpoint_type = type_weights.touchpoint_type
),

final as (
    select
        'custom' as model_name,
        conversion_id,
        touchpoint_id,
        {{ attribution_credit_columns('raw_weight') }},
        input_fingerprint
    from weighted
)

select * from final
