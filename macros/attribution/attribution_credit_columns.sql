{#-
    The credit and attributed_revenue columns of a weight-based attribution model: each
    touch's weight over the sum of its conversion's weights (an equal split when they sum to
    0), rounded the same way in every model (credit to 15 decimals, revenue to 6).

    raw_weight:   the touch's weight expression
    partition_by: the columns that make one conversion (and model) a group
-#}
{% macro attribution_credit_columns(raw_weight, partition_by='conversion_id') -%}
    {%- set credit -%}
        case
            when sum({{ raw_weight }}) over (partition by {{ partition_by }}) > 0
                then {{ raw_weight }} / sum({{ raw_weight }}) over (partition by {{ partition_by }})
            else 1 / count(*) over (partition by {{ partition_by }})
        end
    {%- endset -%}
    {{ round_half_up(credit, 15) }} as credit,
    {{ round_half_up('revenue * ' ~ credit, 6) }} as attributed_revenue
{%- endmacro %}
