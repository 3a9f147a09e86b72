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

{#- the values of the named vars as one SQL string literal (JSON, sorted keys), for hashing
    settings into a fingerprint with row_hash -#}
{% macro vars_literal(names) %}
    {%- set values = {} -%}
    {%- for name in names -%}
        {%- do values.update({name: var(name, none)}) -%}
    {%- endfor -%}
    {%- do return(dbt.string_literal(tojson(values, sort_keys=true) | replace("'", "''"))) -%}
{% endmacro %}
