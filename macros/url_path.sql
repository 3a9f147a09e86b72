{#-
    Normalised path of a URL or of a bare path: lower-case, without scheme, host, query string,
    fragment and trailing slashes; '/' for the root. Null when the input is null.
    'https://www.example.com/Pricing/?utm_source=x' -> '/pricing'
-#}
{% macro url_path(url) %}
    {%- set path_only = regex_extract(url, '(?i)^(?:[a-z][a-z0-9+.-]*://[^/?#]*)?([^?#]*)') -%}
    {%- set lowered_path = 'lower(' ~ path_only ~ ')' -%}
    case
        when {{ url }} is null then null
        else coalesce({{ regex_extract(lowered_path, '^(.*[^/])/*$') }}, '/')
    end
{% endmacro %}
