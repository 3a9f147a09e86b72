{#-
    A sum of doubles that does not depend on the order of the rows: each value is cast to
    DECIMAL(38, 12) (one deterministic rounding per row), the decimals are summed exactly, and
    the total is cast back to a double. A plain sum() of doubles differs in the last bits with
    the order the engine happens to add them in (threads, an incremental run against a full
    refresh), and a later rounding to cents or a threshold can then flip (938.98 vs 938.97).
    Use it for sums of fractional doubles (credits, decayed points) that feed rounding,
    thresholds or published values. Values must stay below 10^26 in magnitude.
-#}
{% macro sum_exact(expression) -%}
    cast(sum(cast({{ expression }} as decimal(38, 12))) as double)
{%- endmacro %}
