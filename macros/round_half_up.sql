{#-
    Rounding that gives the same double on every engine: half up (towards +infinity) on the
    value as a double, floor(x * 10^digits + 0.5) / 10^digits. Engines' own round() differ at
    ties (DuckDB and Spark, even DuckDB releases between themselves: 2.675 is 2.67 or 2.68),
    and Spark rounds decimals. Every step here is one IEEE operation, so DuckDB and Spark agree
    to the last bit. Use it instead of round() in models.
-#}
{% macro round_half_up(expression, digits) %}
    {%- set scale = 10 ** digits -%}
    (floor(cast({{ expression }} as double) * cast({{ scale }} as double) + cast(0.5 as double)) / cast({{ scale }} as double))
{%- endmacro %}
