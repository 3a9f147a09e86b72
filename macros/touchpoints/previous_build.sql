{#-
    The table a model of this project left in the warehouse at its last build, or none (first
    build, a --full-refresh run, or the table is missing).

    For a change set that must compare this run's inputs with what a DOWNSTREAM model was last
    built from (int_interactions_changed reads the previous fct_interactions): a ref() would be
    a cycle, so the relation is looked up by the model's name in the graph (its database, schema
    and alias, as configured), without a dependency. The result is the previous run's table,
    because the downstream model runs after the reader in the same build.
-#}
{% macro previous_build(model_name) %}
    {%- if not execute or flags.FULL_REFRESH -%}
        {%- do return(none) -%}
    {%- endif -%}
    {%- for node in graph.nodes.values() -%}
        {%- if node.resource_type == 'model' and node.name == model_name -%}
            {%- do return(adapter.get_relation(database=node.database, schema=node.schema, identifier=node.alias)) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- do return(none) -%}
{% endmacro %}
