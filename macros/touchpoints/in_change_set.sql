{#-
    The interaction feature chain (int_interactions_expected_time ... fct_interactions) is
    incremental per interaction: a predicate, true for the interactions this run recomputes.

    On an incremental run: the interaction is in the change set int_interactions_changed (see
    that model for what it holds). On a full build: true (every interaction). The ref is also
    taken while dbt parses (execute is false), so dbt knows the dependency on a full build too,
    and a unit test (is_incremental overridden to false) needs no fixture for the change set.

    interaction_id_column: the column holding the interaction id (default interaction_id)
-#}
{% macro in_change_set(interaction_id_column='interaction_id') %}
    {%- if not execute or is_incremental() -%}
        {{ interaction_id_column }} in (
            select change_set.interaction_id from {{ ref('int_interactions_changed') }} as change_set
        )
    {%- else -%}
        true
    {%- endif -%}
{% endmacro %}
