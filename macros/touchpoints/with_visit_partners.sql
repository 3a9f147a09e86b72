{#-
    A set of interactions plus their visit partners: the interactions that share a visit key
    with one of them (a click and the page views that may be its landing: the ad click id, or
    the e-mail event id carried as token). Each copies values from the other, so when one is
    recomputed the other must be too (int_interactions_changed, steps 2 and 4).

    interaction_ids: a CTE with an interaction_id column
    visit_keys:      a CTE of (interaction_id, visit_key) (default visit_keys)

    Returns a select statement of interaction_id (distinct).
-#}
{% macro with_visit_partners(interaction_ids, visit_keys='visit_keys') %}
    select interaction_id from {{ interaction_ids }}
    union
    select partners.interaction_id
    from {{ interaction_ids }}
    inner join {{ visit_keys }} as own_keys
        on {{ interaction_ids }}.interaction_id = own_keys.interaction_id
    inner join {{ visit_keys }} as partners
        on own_keys.visit_key = partners.visit_key
{% endmacro %}
