{#-
    A keyed hash (SHA-256 hex of key || '|' || value) for ids that must not carry personal data:
    the same person gets the same id on every run, yet the id reveals nothing without the key.

    The key comes from the environment variable TW_CONTACT_ID_KEY (set it in production; never
    commit it). Without it a DEVELOPMENT-ONLY default is used, which is public (it is in this
    file) and so protects nothing: fine for the demo, not for real people's data.
-#}
{% macro contact_id_key() %}
    {{- return(env_var('TW_CONTACT_ID_KEY', 'dev-only-public-key-set-TW_CONTACT_ID_KEY')) -}}
{% endmacro %}

{% macro keyed_hash(expression) %}
    {{- return(adapter.dispatch('keyed_hash')(expression)) -}}
{% endmacro %}

{% macro default__keyed_hash(expression) -%}
    sha2(concat('{{ contact_id_key() }}', '|', {{ expression }}), 256)
{%- endmacro %}

{% macro duckdb__keyed_hash(expression) -%}
    sha256(concat('{{ contact_id_key() }}', '|', {{ expression }}))
{%- endmacro %}
