{#-
    `column in ('a', 'b')` for a list var such as attribution_drop_channels or
    attribution_direct_channels; `false` for an empty list (`in ()` is not valid SQL on most
    engines).
-#}
{% macro attribution_in_list(column, values) -%}
    {%- if values | length > 0 -%}
        {{ column }} in ({% for value in values %}'{{ value }}'{% if not loop.last %}, {% endif %}{% endfor %})
    {%- else -%}
        false
    {%- endif -%}
{%- endmacro %}
