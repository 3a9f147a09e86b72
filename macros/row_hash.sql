{#-
    Fingerprints: is a stored result still computed from the same inputs?

    row_hash([columns]) is a 64-bit hash of one row's values (a null differs from every value),
    and fingerprint_sum([columns]) the sum of those hashes over a group, as decimal(38,0). A sum
    does not depend on the order of the rows, so the same rows give the same fingerprint on every
    run; a changed, added or removed row changes it (two changes cancelling out has a chance of
    about 2^-64). Compare fingerprints within one engine only: DuckDB and Spark hash differently.
-#}
{% macro row_hash(columns) %}
    {{- return(adapter.dispatch('row_hash')(columns)) -}}
{% endmacro %}

{#- Spark: xxhash64 skips null arguments, so each value is preceded by its null flag -#}
{% macro default__row_hash(columns) -%}
    xxhash64({% for column in columns %}{{ column }} is null, {{ column }}{% if not loop.last %}, {% endif %}{% endfor %})
{%- endmacro %}

{% macro duckdb__row_hash(columns) -%}
    hash({{ columns | join(', ') }})
{%- endmacro %}

{% macro fingerprint_sum(columns) -%}
    sum(cast({{ row_hash(columns) }} as decimal(38, 0)))
{%- endmacro %}
