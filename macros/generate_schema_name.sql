{#
    Schemas by layer: staging, intermediate, marts (what BI users read) and seeds; ingestion
    writes raw. The layer names come from `+schema` in dbt_project.yml.

    dbt's convention, with the environment prefix made explicit: a deployment sets
    TW_SCHEMA_PREFIX (for example `dev_alice`, `ci`) and every layer lands in
    `<prefix>_<layer>` (`dev_alice_marts`), so environments can share one database or
    metastore. Without a prefix (the default, and production) the layer name is used as is.
    A model without a custom schema lands in the target's schema, as in dbt's default.
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- set prefix = env_var('TW_SCHEMA_PREFIX', '') | trim -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- elif prefix -%}
        {{ prefix }}_{{ custom_schema_name | trim }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
