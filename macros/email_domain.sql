{#- The part of an e-mail address after the '@' ('ana@acme.io' -> 'acme.io'), lower-cased. -#}
{% macro email_domain(email) %}
    {{ regex_extract('lower(trim(' ~ email ~ '))', '@([^@]+)$') }}
{% endmacro %}
