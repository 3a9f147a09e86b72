{#-
    Value of one query-string parameter of a URL (`utm_source`, `gclid`, ...), URL-decoded;
    null when the parameter is absent or empty. Parameter names match case-insensitively.
-#}
{% macro url_query_parameter(url, parameter_name) %}
    {{ return(adapter.dispatch('url_query_parameter', 'touchpoint_warehouse')(url, parameter_name)) }}
{% endmacro %}

{% macro default__url_query_parameter(url, parameter_name) %}
    {{ regex_extract(url, '(?i)[?&]' ~ parameter_name ~ '=([^&#]*)') }}
{% endmacro %}

{#- DuckDB's url_decode leaves '+' alone, but in a query string it means a space. -#}
{% macro duckdb__url_query_parameter(url, parameter_name) %}
    url_decode(replace({{ regex_extract(url, '(?i)[?&]' ~ parameter_name ~ '=([^&#]*)') }}, '+', ' '))
{% endmacro %}

{#- Spark's url_decode raises on a bad '%' escape; try_url_decode gives null, and then the
    raw value is kept ('+' as a space), as DuckDB's url_decode keeps a bad escape as it is. -#}
{% macro spark__url_query_parameter(url, parameter_name) %}
    {%- set raw_value = regex_extract(url, '(?i)[?&]' ~ parameter_name ~ '=([^&#]*)') -%}
    coalesce(try_url_decode({{ raw_value }}), replace({{ raw_value }}, '+', ' '))
{% endmacro %}
