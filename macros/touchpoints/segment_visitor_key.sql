{#-
    The visitor of a Segment event, as the session models key it: the browser (anonymousId),
    else 'user:' || userId. One definition for int_page_views_sessionized and the check that
    stops a run when a re-export changes it (stop_if_segment_events_changed_visitor).

    relation_alias: the alias of the staged events (stg_segment__events), or none
-#}
{% macro segment_visitor_key(relation_alias=none) -%}
    {%- set prefix = relation_alias ~ '.' if relation_alias else '' -%}
    coalesce({{ prefix }}anonymous_id, 'user:' || {{ prefix }}user_id)
{%- endmacro %}
