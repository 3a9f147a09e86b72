{#-
    The vars the touchpoint-level credits are computed with (rule based, time decay, custom, and
    which of them are enabled), as one SQL string literal. int_attribution__conversion_inputs
    hashes it into every conversion's fingerprint, so changing one of them recomputes every
    conversion in the next incremental run of mart_attribution_credits. The vars that shape the
    paths (window, drop, transform, direct channels) reach the fingerprint through the path rows
    themselves; they are listed too, so that the list is every attribution var those models read
    (tests/python/test_fingerprinted_settings.py checks it).
-#}
{% macro attribution_credit_settings() %}
    {%- do return(vars_literal([
        'attribution_models',
        'attribution_position_based_weights',
        'attribution_w_shaped_weights',
        'attribution_full_path_weights',
        'attribution_j_shaped_weights',
        'attribution_inverse_j_shaped_weights',
        'attribution_time_decay_half_life_days',
        'attribution_lookback_days',
        'attribution_drop_channels',
        'attribution_path_transform',
        'attribution_direct_channels',
    ])) -%}
{% endmacro %}

{#-
    The config meta of the incremental credit models (the three touchpoint-level ones and
    mart_attribution_credits): stored rows of a conversion whose fingerprint changed or that is
    gone leave (current_inputs), and every input's change is caught by the fingerprint
    (incremental_inputs_compared: all). recomputed_where: rows every run computes again.
-#}
{% macro attribution_credits_meta(recomputed_where=none) %}
    {%- do return(compare_and_keep_meta(
        'int_attribution__conversion_inputs', 'conversion_id',
        {'recomputed_where': recomputed_where} if recomputed_where else {},
    )) -%}
{% endmacro %}
