{#-
    First capture group of a regular expression, or null when it does not match (or matches
    an empty string). Write patterns without backslashes where possible (`[.]` for a dot);
    the inline flag `(?i)` works on both engines.
-#}
{% macro regex_extract(expression, pattern, group=1) %}
    {{ return(adapter.dispatch('regex_extract', 'touchpoint_warehouse')(expression, pattern, group)) }}
{% endmacro %}

{% macro default__regex_extract(expression, pattern, group=1) %}
    nullif(regexp_extract({{ expression }}, '{{ pattern }}', {{ group }}), '')
{% endmacro %}

{% macro duckdb__regex_extract(expression, pattern, group=1) %}
    nullif(regexp_extract({{ expression }}, '{{ pattern }}', {{ group }}), '')
{% endmacro %}

{#- Spark string literals treat a backslash as an escape character, so double them. -#}
{% macro spark__regex_extract(expression, pattern, group=1) %}
    nullif(regexp_extract({{ expression }}, '{{ pattern | replace("\\", "\\\\") }}', {{ group }}), '')
{% endmacro %}
