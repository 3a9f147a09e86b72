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

{% macro spark__url_query_parameter(url, parameter_name) %}
    url_decode({{ regex_extract(url, '(?i)[?&]' ~ parameter_name ~ '=([^&#]*)') }})
{% endmacro %}
