-- Time decay: a touch's weight halves every attribution_time_decay_half_life_days before the
-- conversion (weight = 0.5 ^ (days_before_conversion / half_life)); credits are the weights
-- normalised per conversion. Rounded like int_attribution__rule_based_credits. The weights are
-- computed relative to the conversion's latest touch (its weight is 1; the same credits), so
-- that the exact sum of macro attribution_credit_columns keeps the tiny weights of a short
-- half-life.
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

{%- set half_life = var('attribution_time_decay_half_life_days', 7) %}
{%- if half_life <= 0 %}
    {{ exceptions.raise_compiler_error("attribution_time_decay_half_life_days must be > 0") }}
{%- endif %}

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
        paths.days_before_conversion,
        recomputed.input_fingerprint
    from {{ ref('int_attribution__paths') }} as paths
    inner join recomputed
        on paths.conversion_id = recomputed.conversion_id
    where {{ 'true' if 'time_decay' in var('attribution_models') else 'false' }}
),

decayed as (
    select
        *,
        power(
            0.5,
            (days_before_conversion - min(days_before_conversion) over (partition by conversion_id))
            / {{ half_life }}
        ) as raw_weight
    from paths
),

final as (
    select
        'time_decay' as model_name,
        conversion_id,
        touchpoint_id,
        {{ attribution_credit_columns('raw_weight') }},
        input_fingerprint
    from decayed
)

select * from final
