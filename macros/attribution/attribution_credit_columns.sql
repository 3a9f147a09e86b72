{#-
    The credit and attributed_revenue columns of a weight-based attribution model: each
    touch's weight over the sum of its conversion's weights (an equal split when they sum to
    0), rounded the same way in every model (credit to 15 decimals, revenue to 6).

    The sum is exact (each weight cast to DECIMAL(38, 18), summed as decimals, cast back), so a
    credit does not depend on the order the engine adds the weights in: a plain sum of doubles
    differs in the last bit between a full build and an incremental run that computes fewer
    conversions, and the rounding to 15 decimals then flips (0.428571428571428 / ...429).
    Weights must stay below 10^20; a model whose weights can be tiny passes them relative to
    the conversion's largest one (time decay).

    raw_weight:   the touch's weight expression
    partition_by: the columns that make one conversion (and model) a group
-#}
{% macro attribution_credit_columns(raw_weight, partition_by='conversion_id') -%}
    {%- set weight_sum -%}
        cast(sum(cast({{ raw_weight }} as decimal(38, 18))) over (partition by {{ partition_by }}) as double)
    {%- endset -%}
    {%- set credit -%}
        case
            when {{ weight_sum }} > 0
                then {{ raw_weight }} / {{ weight_sum }}
            else 1 / count(*) over (partition by {{ partition_by }})
        end
    {%- endset -%}
    {{ round_half_up(credit, 15) }} as credit,
    {{ round_half_up('revenue * ' ~ credit, 6) }} as attributed_revenue
{%- endmacro %}
