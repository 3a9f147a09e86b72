{#-
    dbt's test `where` config, plus one shorthand for event-grain tests that only need to check
    the rows of the latest load:

        config:
          where: "recently_loaded(loaded_at)"

    becomes `loaded_at > max(loaded_at) - var('tests_recent_load_hours') hours` over the tested
    relation (a daily run ingests its files minutes before it builds, so this is the run's new
    rows; rows without a load time are always checked). Older rows were checked when they
    arrived, and incremental models replace whole keys, so a full scan finds nothing new unless
    something outside the run changed the table. With var('tests_full_scan') true (the weekly
    schedule, or `--vars '{tests_full_scan: true}'`) every row is checked.
    Other `where` values behave as in dbt.

    A model can make this the default of all its data tests without a `where` of their own:
    config(meta={'tests_recent_load_column': 'source_loaded_at'}) (the incremental event-grain
    intermediate models and fct_interactions do; macro recent_load_where_of_tested_model).
-#}
{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- if not where -%}
        {%- set where = recent_load_where_of_tested_model() -%}
    {%- endif -%}
    {%- if where -%}
        {%- set pattern = 'recently_loaded\(\s*(\w+)\s*\)' -%}
        {%- set match = modules.re.search(pattern, where) -%}
        {%- if match -%}
            {%- set column = match.group(1) -%}
            {%- if var('tests_full_scan', false) -%}
                {%- set predicate = 'true' -%}
            {%- else -%}
                {%- set predicate -%}
                    coalesce({{ column }} > (
                        select {{ dbt.dateadd('hour', -1 * var('tests_recent_load_hours'), 'max(' ~ column ~ ')') }}
                        from {{ relation }}
                    ), true)
                {%- endset -%}
            {%- endif -%}
            {%- set where = modules.re.sub(pattern, predicate, where) -%}
        {%- endif -%}
        {%- set filtered -%}
            (select * from {{ relation }} where {{ where }}) dbt_subquery
        {%- endset -%}
        {%- do return(filtered) -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}

{#- "recently_loaded(<column>)" when the model this test is attached to names a load-time column
    in meta.tests_recent_load_column, else '' -#}
{% macro recent_load_where_of_tested_model() -%}
    {%- set attached = model.get('attached_node') if model is mapping else none -%}
    {%- if attached and attached in graph.nodes -%}
        {%- set column = graph.nodes[attached].config.get('meta', {}).get('tests_recent_load_column') -%}
        {%- if column -%}
            {%- do return('recently_loaded(' ~ column ~ ')') -%}
        {%- endif -%}
    {%- endif -%}
    {%- do return('') -%}
{%- endmacro %}
