-- Time decay: a touch's weight halves every attribution_time_decay_half_life_days before the
-- conversion (weight = 0.5 ^ (days_before_conversion / half_life)); credits are the weights
-- normalised per conversion. Rounded like int_attribution__rule_based_credits.

{%- set half_life = var('attribution_time_decay_half_life_days', 7) %}
{%- if half_life <= 0 %}
    {{ exceptions.raise_compiler_error("attribution_time_decay_half_life_days must be > 0") }}
{%- endif %}

with

paths as (
    select
        conversion_id,
        touchpoint_id,
        revenue,
        days_before_conversion
    from {{ ref('int_attribution__paths') }}
    where {{ 'true' if 'time_decay' in var('attribution_models') else 'false' }}
),

decayed as (
    select
        *,
        power(0.5, days_before_conversion / {{ half_life }}) as raw_weight
    from paths
),

final as (
    select
        'time_decay' as model_name,
        conversion_id,
        touchpoint_id,
        {{ attribution_credit_columns('raw_weight') }}
    from decayed
)

select * from final
