{#-
    Ad click id carried in a landing URL, and which parameter carried it. The parameters are
    tried in the order of the var `staging_click_id_parameters`; the first one present wins.
-#}
{% macro url_click_id(url) %}
    coalesce(
        {%- for parameter_name in var('staging_click_id_parameters') %}
        {{ url_query_parameter(url, parameter_name) }}{{ ',' if not loop.last }}
        {%- endfor %}
        {%- if var('staging_click_id_parameters') | length == 1 %}, null{% endif %}
    )
{% endmacro %}

{% macro url_click_id_type(url) %}
    case
        {%- for parameter_name in var('staging_click_id_parameters') %}
        when {{ url_query_parameter(url, parameter_name) }} is not null then '{{ parameter_name }}'
        {%- endfor %}
    end
{% endmacro %}
