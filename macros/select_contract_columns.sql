{#
    The last select of every contracted mart: each column the model's YAML declares, cast to
    its declared data_type, in the declared order. The types are stated once, in the YAML
    (portable names: string, bigint, double, decimal(p,s), timestamp, boolean, date), and the
    table is built with exactly them: counts become BIGINT rather than an engine's widened sum
    type, money DECIMAL with its stated scale. dbt's enforced contract then checks the built
    columns against the same list. A model without declared columns selects everything.
#}
{% macro select_contract_columns(relation_name) -%}
    {%- set columns = model.columns.values() | list if model is defined and model.columns else [] -%}
    {%- if columns | length == 0 %}
select * from {{ relation_name }}
    {%- else %}
select
        {%- for column in columns %}
    cast({{ adapter.quote(column.name) }} as {{ column.data_type }}) as {{ adapter.quote(column.name) }}
            {%- if not loop.last %},{% endif %}
        {%- endfor %}
from {{ relation_name }}
    {%- endif %}
{%- endmacro %}
