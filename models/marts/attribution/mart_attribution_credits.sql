-- One row per model, conversion and credited touchpoint (or channel): the single place every
-- attribution model's output lands. Touchpoint-level models (rule based, time decay, custom)
-- credit touchpoints; data-driven models (markov, shapley) credit the channels of the path
-- (touchpoint_id, campaign_id, content_id, path_position and days_before_conversion null).
-- A conversion with an empty path is credited in full to channel 'unattributed' under every
-- enabled model, so per model credits add up to the conversions and revenue of the CRM.
--
-- Incremental by conversion (compare-and-keep). Each row stores input_fingerprint, the
-- fingerprint of everything the touchpoint-level credits of its conversion are computed from
-- (int_attribution__conversion_inputs: the CRM row, the path, the custom weights seed, the
-- attribution vars). A run computes the touchpoint-level and unattributed rows only of the
-- conversions whose current fingerprint is not stored (new or changed: a late touchpoint in the
-- window, a moved contact, a tuned weight), and the data-driven rows (markov, shapley) of every
-- conversion, since each new path moves them all. Stored rows whose conversion's fingerprint
-- changed or is gone, and every data-driven row, leave the table (meta current_inputs and
-- recomputed_where, macros/replaced_keys.sql). Every input's change is caught by the
-- fingerprint, so no seed or var of this chain asks for a full refresh
-- (incremental_inputs_compared: all).
{{
    config(
        materialized='incremental',
        unique_key='credit_id',
        incremental_strategy=incremental_strategy(),
        meta=attribution_credits_meta(recomputed_where="model_family = 'data_driven'"),
    )
}}

{%- set models = var('attribution_models') %}
{%- set data_driven = [] %}
{%- for name in ['markov', 'shapley'] if name in models %}{% do data_driven.append(name) %}{% endfor %}

with

conversions as (
    select conversion_id, conversion_type, converted_at, account_id, revenue, pipeline_amount
    from {{ ref('fct_conversions') }}
    where conversion_type <> 'closed_lost'
),

conversion_inputs as (
    select conversion_id, input_fingerprint
    from {{ ref('int_attribution__conversion_inputs') }}
),

-- the conversions whose touchpoint-level and unattributed rows this run computes
recomputed_conversions as (
    {{ recomputed_keys_sql(
        'int_attribution__conversion_inputs', 'conversion_id', 'input_fingerprint',
        stored_where="model_family <> 'data_driven'"
    ) }}
),

paths as (
    select
        conversion_id,
        touchpoint_id,
        channel,
        campaign_id,
        content_id,
        touchpoint_type,
        path_position,
        path_length,
        days_before_conversion
    from {{ ref('int_attribution__paths') }}
),

touchpoint_credits as (
    select model_name, conversion_id, touchpoint_id, credit, attributed_revenue
    from {{ ref('int_attribution__rule_based_credits') }}
    union all
    select model_name, conversion_id, touchpoint_id, credit, attributed_revenue
    from {{ ref('int_attribution__time_decay_credits') }}
    union all
    select model_name, conversion_id, touchpoint_id, credit, attributed_revenue
    from {{ ref('int_attribution__custom_credits') }}
),

channel_credits as (
    {%- for name in data_driven %}
    select model as model_name, conversion_id, channel, credit, attributed_revenue
    from {{ ref('int_attribution__' ~ name ~ '_conversion_credits') }}
    {% if not loop.last %}union all{% endif %}
    {%- else %}
    select
        cast(null as {{ dbt.type_string() }}) as model_name,
        conversion_id,
        channel,
        cast(null as double) as credit,
        cast(null as double) as attributed_revenue
    from paths
    where 1 = 0
    {%- endfor %}
),

path_lengths as (
    select distinct conversion_id, path_length
    from paths
),

enabled_models as (
    {%- for name in models %}
    select '{{ name }}' as model_name
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

touchpoint_rows as (
    select
        touchpoint_credits.model_name,
        touchpoint_credits.conversion_id,
        paths.touchpoint_id,
        paths.channel,
        paths.campaign_id,
        paths.content_id,
        paths.touchpoint_type,
        paths.path_position,
        paths.path_length,
        paths.days_before_conversion,
        touchpoint_credits.credit,
        touchpoint_credits.attributed_revenue
    from touchpoint_credits
    inner join paths
        on touchpoint_credits.conversion_id = paths.conversion_id
        and touchpoint_credits.touchpoint_id = paths.touchpoint_id
    inner join recomputed_conversions
        on touchpoint_credits.conversion_id = recomputed_conversions.conversion_id
),

channel_rows as (
    select
        channel_credits.model_name,
        channel_credits.conversion_id,
        cast(null as {{ dbt.type_string() }}) as touchpoint_id,
        channel_credits.channel,
        cast(null as {{ dbt.type_string() }}) as campaign_id,
        cast(null as {{ dbt.type_string() }}) as content_id,
        cast(null as {{ dbt.type_string() }}) as touchpoint_type,
        cast(null as bigint) as path_position,
        path_lengths.path_length,
        cast(null as double) as days_before_conversion,
        channel_credits.credit,
        channel_credits.attributed_revenue
    from channel_credits
    inner join path_lengths
        on channel_credits.conversion_id = path_lengths.conversion_id
),

unattributed_rows as (
    select
        enabled_models.model_name,
        conversions.conversion_id,
        cast(null as {{ dbt.type_string() }}) as touchpoint_id,
        'unattributed' as channel,
        cast(null as {{ dbt.type_string() }}) as campaign_id,
        cast(null as {{ dbt.type_string() }}) as content_id,
        cast(null as {{ dbt.type_string() }}) as touchpoint_type,
        cast(null as bigint) as path_position,
        0 as path_length,
        cast(null as double) as days_before_conversion,
        cast(1 as double) as credit,
        conversions.revenue as attributed_revenue
    from conversions
    cross join enabled_models
    where conversions.conversion_id not in (select conversion_id from path_lengths)
        and (
            enabled_models.model_name in ('markov', 'shapley')
            or conversions.conversion_id in (select conversion_id from recomputed_conversions)
        )
),

credits_unioned as (
    select * from touchpoint_rows
    union all
    select * from channel_rows
    union all
    select * from unattributed_rows
),

final as (
    select
        credits_unioned.model_name
            || ':' || credits_unioned.conversion_id
            || ':' || coalesce(credits_unioned.touchpoint_id, 'channel:' || credits_unioned.channel)
            as credit_id,
        credits_unioned.model_name,
        case
            when credits_unioned.model_name in ('markov', 'shapley') then 'data_driven'
            when credits_unioned.model_name in ('first_touch', 'last_touch', 'last_non_direct_touch')
                then 'single_touch'
            else 'multi_touch'
        end as model_family,
        credits_unioned.conversion_id,
        conversions.conversion_type,
        conversions.converted_at,
        cast({{ dbt.date_trunc('month', 'conversions.converted_at') }} as date) as conversion_month,
        conversions.account_id,
        credits_unioned.touchpoint_id,
        credits_unioned.channel,
        credits_unioned.campaign_id,
        credits_unioned.content_id,
        credits_unioned.touchpoint_type,
        credits_unioned.path_position,
        cast(credits_unioned.path_length as bigint) as path_length,
        credits_unioned.days_before_conversion,
        cast(credits_unioned.credit as double) as credit,
        cast(credits_unioned.attributed_revenue as double) as attributed_revenue,
        -- pipeline is counted once, when the opportunity is created
        cast(
            case
                when conversions.conversion_type = 'opportunity_created'
                    then credits_unioned.credit * conversions.pipeline_amount
                else 0
            end as double
        ) as attributed_pipeline,
        conversions.revenue as conversion_revenue,
        conversions.pipeline_amount as conversion_pipeline_amount,
        conversion_inputs.input_fingerprint
    from credits_unioned
    inner join conversions
        on credits_unioned.conversion_id = conversions.conversion_id
    inner join conversion_inputs
        on credits_unioned.conversion_id = conversion_inputs.conversion_id
)

{{ select_contract_columns('final') }}
