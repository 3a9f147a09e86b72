{#-
    Incremental models keep rows computed with the seeds and vars of the run that built them. A
    later run with other seeds or vars would mix old and new rules without anyone noticing, so:

    - on-run-end (record_incremental_inputs): after a run that built every incremental model
      from scratch (the first build, or --full-refresh), the values of the inputs they depend on
      are stored in `<intermediate schema>.incremental_inputs`;
    - on-run-start (check_incremental_inputs): a run without --full-refresh that selects an
      incremental model stops before building anything if an input differs from the stored
      value, and names the inputs and the full refresh that is needed.

    The inputs: the seeds upstream of an incremental model (by checksum; not through a parent
    the model compares its stored rows with, meta incremental_inputs_compared, a list of parents
    or 'all' when every input's change is detected by the model itself) and the vars in
    incremental_input_vars() (their rendered values). Vars that only change how much is
    re-processed (tp_incremental_lookback_hours) or which rows tests check are left out.
-#}

{% macro incremental_input_vars() %}
    {%- do return([
        'staging_click_id_parameters', 'staging_email_token_parameter', 'staging_attendee_separator',
        'tp_session_inactivity_minutes', 'tp_heartbeat_event_name', 'tp_heartbeat_interval_seconds',
        'tp_min_visit_seconds', 'tp_engaged_time_cap_seconds', 'tp_reading_words_per_minute',
        'tp_default_expected_seconds', 'tp_document_seconds_per_page', 'tp_video_completion_percent',
        'tp_deep_engagement_min_depth', 'tp_frequency_window_days', 'tp_repeat_min_active_days',
        'tp_frequency_full_days', 'tp_attention_meaningful_ratio', 'tp_attention_noise_ratio',
        'tp_bounce_seconds', 'tp_click_min_visit_seconds', 'tp_depth_full', 'tp_score_weight_attention',
        'tp_score_weight_depth', 'tp_score_weight_channel_intent', 'tp_score_weight_frequency',
        'tp_meeting_min_score', 'identity_beginning_of_time', 'journey_fall_back_after_days',
    ]) -%}
{% endmacro %}

{% macro incremental_model_ids() %}
    {%- set ids = [] -%}
    {%- for node in graph.nodes.values() -%}
        {%- if node.resource_type == 'model' and node.config.materialized == 'incremental' -%}
            {%- do ids.append(node.unique_id) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- do return(ids | sort) -%}
{% endmacro %}

{#- name -> value of every input: 'var:<name>' and 'seed:<name>' (file checksum) -#}
{% macro incremental_inputs() %}
    {%- set inputs = {} -%}
    {%- for name in incremental_input_vars() -%}
        {%- do inputs.update({'var:' ~ name: tojson(var(name, none))}) -%}
    {%- endfor -%}
    {%- set seen = [] -%}
    {%- set queue = incremental_model_ids() -%}
    {#- breadth-first over the parents of the incremental models (a loop over a growing list) -#}
    {%- for unique_id in queue -%}
        {%- if unique_id not in seen and unique_id in graph.nodes -%}
            {%- do seen.append(unique_id) -%}
            {%- set node = graph.nodes[unique_id] -%}
            {%- if node.resource_type == 'seed' -%}
                {%- do inputs.update({'seed:' ~ node.name: node.checksum.checksum}) -%}
            {%- endif -%}
            {#- a model that compares its stored rows with a parent's (meta
                incremental_inputs_compared: a list of parents, or 'all') recomputes what that
                parent changed by itself -#}
            {%- set compared = (node.config.meta or {}).get('incremental_inputs_compared', []) -%}
            {%- for parent in node.depends_on.nodes -%}
                {%- if compared != 'all' and parent.split('.')[-1] not in compared -%}
                    {%- do queue.append(parent) -%}
                {%- endif -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
    {%- do return(inputs) -%}
{% endmacro %}

{% macro incremental_inputs_relation() %}
    {%- do return(adapter.get_relation(
        database=target.database,
        schema=generate_schema_name('intermediate', none) | trim,
        identifier='incremental_inputs',
    )) -%}
{% endmacro %}

{% macro check_incremental_inputs() %}
    {%- if not execute or flags.FULL_REFRESH -%}{%- do return('') -%}{%- endif -%}
    {%- set selected_incremental = incremental_model_ids() | select('in', selected_resources) | list -%}
    {%- set relation = incremental_inputs_relation() -%}
    {%- if not selected_incremental or relation is none -%}{%- do return('') -%}{%- endif -%}
    {%- set stored = {} -%}
    {%- for row in run_query('select input_name, input_value from ' ~ relation).rows -%}
        {%- do stored.update({row[0]: row[1]}) -%}
    {%- endfor -%}
    {%- set changed = [] -%}
    {%- for name, value in incremental_inputs().items() -%}
        {%- if stored.get(name) != value -%}{%- do changed.append(name) -%}{%- endif -%}
    {%- endfor -%}
    {%- if changed -%}
        {%- set models = [] -%}
        {%- for unique_id in incremental_model_ids() -%}
            {%- do models.append(graph.nodes[unique_id].name ~ '+') -%}
        {%- endfor -%}
        {{ exceptions.raise_compiler_error(
            'Inputs of the incremental models changed since they were built: ' ~ (changed | join(', '))
            ~ '. Their stored rows follow the old values. Rebuild them, and everything downstream: '
            ~ 'dbt build --full-refresh --select ' ~ (models | join(' '))
        ) }}
    {%- endif -%}
    {%- do return('') -%}
{% endmacro %}

{% macro record_incremental_inputs(results) %}
    {%- if not execute -%}{%- do return('') -%}{%- endif -%}
    {%- set relation = incremental_inputs_relation() -%}
    {%- if relation is not none and not flags.FULL_REFRESH -%}{%- do return('') -%}{%- endif -%}
    {%- set built = [] -%}
    {%- for result in results -%}
        {%- if result.status == 'success' -%}{%- do built.append(result.node.unique_id) -%}{%- endif -%}
    {%- endfor -%}
    {%- for unique_id in incremental_model_ids() -%}
        {%- if unique_id not in built -%}{%- do return('') -%}{%- endif -%}
    {%- endfor -%}
    {%- set schema = generate_schema_name('intermediate', none) | trim -%}
    {%- set rows = [] -%}
    {%- for name, value in incremental_inputs().items() -%}
        {%- do rows.append('(' ~ dbt.string_literal(name) ~ ', ' ~ dbt.string_literal(value | replace("'", "''")) ~ ')') -%}
    {%- endfor -%}
    {%- do run_query('create schema if not exists ' ~ adapter.quote(schema)) -%}
    {%- do run_query('drop table if exists ' ~ adapter.quote(schema) ~ '.incremental_inputs') -%}
    {%- do run_query(
        'create table ' ~ adapter.quote(schema) ~ '.incremental_inputs as select * from (values '
        ~ (rows | join(', ')) ~ ') as inputs (input_name, input_value)'
    ) -%}
    {%- do return('') -%}
{% endmacro %}
