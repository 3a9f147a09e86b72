{#-
    The vars the attribution paths are shaped with (window, dropped channels, transform, direct
    channels), as one SQL string literal. int_attribution__account_inputs hashes it into every
    account's fingerprint, so changing one of them recomputes every account's paths in the next
    incremental run (tests/python/test_fingerprinted_settings.py checks that the list holds
    every var those models read).
-#}
{% macro attribution_path_settings() %}
    {%- do return(vars_literal([
        'attribution_lookback_days',
        'attribution_drop_channels',
        'attribution_path_transform',
        'attribution_direct_channels',
    ])) -%}
{% endmacro %}

{#-
    The config meta of the incremental path models (int_attribution__journey_touchpoints,
    int_attribution__paths, int_attribution__non_converting_paths): stored rows of an account
    whose fingerprint changed, or that has no journey any more, leave (current_inputs), and
    every input's change is caught by the fingerprint (incremental_inputs_compared: all).
-#}
{% macro attribution_paths_meta() %}
    {%- do return(compare_and_keep_meta('int_attribution__account_inputs', 'account_id')) -%}
{% endmacro %}
