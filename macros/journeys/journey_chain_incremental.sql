{#-
    The vars int_journey_checkpoints, int_journey_scores_decayed and int_journey_stages_evaluated
    are computed with, as one SQL string literal. int_journey_account_inputs hashes it into every
    account's fingerprint, so changing one of them recomputes every account in the next
    incremental run of those models. (The vars that change a touchpoint's points reach the
    fingerprint through the points themselves; journey_as_of_at through the touchpoints up to
    the "as of" and the checkpoints after it, which every run recomputes.)
    tests/python/test_fingerprinted_settings.py checks that every var the three models read is
    listed.
-#}
{% macro journey_chain_settings() %}
    {%- do return(vars_literal([
        'journey_checkpoint_days',
        'journey_trigger_fresh_days',
        'journey_score_lookback_days',
        'journey_half_life_days',
        'journey_stakeholder_window_days',
        'journey_stakeholder_bonus_max',
        'journey_stakeholder_bonus_per_contact',
        'journey_score_scale',
        'journey_fall_back_margin',
    ])) -%}
{% endmacro %}

{#-
    The config meta of int_journey_checkpoints, int_journey_scores_decayed and
    int_journey_stages_evaluated (incremental on account_id and evaluated_at): the rows of an
    account whose fingerprint changed or that is gone leave (current_inputs), and so does every
    row from the earlier of the previous "as of" (the latest evaluated_at stored) and this run's
    (recomputed_from): the "as of" row moves, and new calendar and trigger-expiry checkpoints
    appear after it. Every input's change is caught by the fingerprint or by that bound
    (incremental_inputs_compared: all).
-#}
{% macro journey_chain_meta() %}
    {%- do return(compare_and_keep_meta('int_journey_account_inputs', 'account_id', {
        'recomputed_from': {
            'column': 'evaluated_at',
            'bound_model': 'int_journey_as_of',
            'bound_column': 'as_of_at',
        },
    })) -%}
{% endmacro %}

{#- the condition, on the model's rows, of those an incremental run computes: every row of an
    account whose fingerprint the model does not hold, and every row from the bound of
    journey_chain_meta's recomputed_from on. `accounts` names a CTE of recomputed_keys_sql. -#}
{% macro journey_rows_recomputed(account_id, evaluated_at, accounts='recomputed_accounts') -%}
    {%- if is_incremental() -%}
    ({{ account_id }} in (select account_id from {{ accounts }})
        or {{ evaluated_at }} >= {{ recomputed_from_sql(journey_chain_meta()['recomputed_from']) }})
    {%- else -%}
    true
    {%- endif -%}
{%- endmacro %}
