-- Credits of the position rule models, one row per enabled model, conversion and touchpoint.
-- Every model is a set of role weights (first, last, last_non_direct, lead, opportunity,
-- won) plus a rest share split equally over the touches that hold no weighted role:
--   raw weight = sum of the weights of the roles the touch holds (coinciding roles add up)
--              + rest / (number of touches holding no weighted role), for those touches
--   credit     = raw weight / sum of raw weights of the conversion
-- So a missing role (e.g. no opportunity for a lead, no touch before the milestone) or an
-- empty rest (every touch holds a role) spreads its weight over the other touches in
-- proportion to theirs, and credits always sum to 1. Position based on one touch gives
-- 100%, on two touches 50/50. Credits are rounded to 15 decimals and attributed revenue to
-- 6 so results are identical across engines and summation orders.
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

{%- set rule_models = {
    'first_touch': {'first': 1},
    'last_touch': {'last': 1},
    'last_non_direct_touch': {'last_non_direct': 1},
    'linear': {'rest': 1},
    'position_based': var('attribution_position_based_weights'),
    'w_shaped': var('attribution_w_shaped_weights'),
    'full_path': var('attribution_full_path_weights'),
    'j_shaped': var('attribution_j_shaped_weights'),
    'inverse_j_shaped': var('attribution_inverse_j_shaped_weights'),
} %}
{%- set role_flags = {
    'first': 'is_first_touch',
    'last': 'is_last_touch',
    'last_non_direct': 'is_last_non_direct_touch',
    'lead': 'is_lead_touch',
    'opportunity': 'is_opportunity_touch',
    'won': 'is_won_touch',
} %}
{%- set enabled = [] %}
{%- for name in var('attribution_models') if name in rule_models %}
    {%- do enabled.append(name) %}
{%- endfor %}

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
        paths.is_first_touch,
        paths.is_last_touch,
        paths.is_last_non_direct_touch,
        paths.is_lead_touch,
        paths.is_opportunity_touch,
        paths.is_won_touch,
        recomputed.input_fingerprint
    from {{ ref('int_attribution__paths') }} as paths
    inner join recomputed
        on paths.conversion_id = recomputed.conversion_id
),

role_weights as (
    {%- for name in enabled %}
    {%- set weights = rule_models[name] %}
    {%- for role in weights if role != 'rest' and role not in role_flags %}
        {{ exceptions.raise_compiler_error("unknown role '" ~ role ~ "' in the weights of " ~ name) }}
    {%- endfor %}
    {%- set roles = [] %}
    {%- for role in role_flags if weights.get(role, 0) > 0 %}{% do roles.append(role) %}{% endfor %}
    select
        '{{ name }}' as model_name,
        conversion_id,
        touchpoint_id,
        revenue,
        input_fingerprint,
        cast(0 as double)
        {%- for role in roles %}
            + case when {{ role_flags[role] }} then {{ weights[role] }} else 0 end
        {%- endfor %} as role_weight,
        {% if roles | length > 0 -%}
        ({% for role in roles %}{{ role_flags[role] }}{% if not loop.last %} or {% endif %}{% endfor %})
        {%- else -%}
        false
        {%- endif %} as has_role,
        cast({{ weights.get('rest', 0) }} as double) as rest_weight
    from paths
    {% if not loop.last %}union all{% endif %}
    {%- else %}
    select
        cast(null as {{ dbt.type_string() }}) as model_name,
        conversion_id,
        touchpoint_id,
        revenue,
        input_fingerprint,
        cast(0 as double) as role_weight,
        false as has_role,
        cast(0 as double) as rest_weight
    from paths
    where 1 = 0
    {%- endfor %}
),

rest_counted as (
    select
        *,
        sum(case when has_role then 0 else 1 end)
            over (partition by model_name, conversion_id) as rest_touch_count
    from role_weights
),

raw_weighted as (
    select
        *,
        role_weight
        + case when has_role then 0 else rest_weight / rest_touch_count end as raw_weight
    from rest_counted
),

final as (
    select
        model_name,
        conversion_id,
        touchpoint_id,
        {{ attribution_credit_columns('raw_weight', 'model_name, conversion_id') }},
        input_fingerprint
    from raw_weighted
)

select * from final
