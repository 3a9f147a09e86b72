{#-
    A predicate on a Segment event (stg_segment__events): true when it is an interaction (a page
    view or a track event other than the heartbeat, var tp_heartbeat_event_name). Identify calls
    and heartbeats are signals: identity and engaged time read them, they are not interactions.
-#}
{% macro segment_event_is_interaction(event_type='event_type', event_name='event_name') -%}
    ({{ event_type }} in ('page', 'track') and coalesce({{ event_name }}, '') <> '{{ var("tp_heartbeat_event_name") }}')
{%- endmacro %}
