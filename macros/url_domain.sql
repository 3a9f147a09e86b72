{#-
    Lower-case host of a URL or bare domain, without a leading 'www.' and without a port:
    'https://www.Acme.io/about' -> 'acme.io', 'acme.io' -> 'acme.io'. Null when none.
-#}
{% macro url_domain(url) %}
    {{ regex_extract(
        'lower(trim(' ~ url ~ '))',
        '^(?:[a-z][a-z0-9+.-]*://)?(?:[^@/?#]*@)?(?:www[.])?([^/?#:]+)'
    ) }}
{% endmacro %}
