-- One row per known account: a fingerprint of everything its checkpoints, scores and evaluated
-- stages before the "as of" are computed from.
--   input_fingerprint = hash of its dim_accounts row (created_at)
--                     + sum of the hashes of its int_journey_touchpoints_weighted rows
--                     + sum of the hashes of its int_journey_triggers_fired rows
--                     + sum of the hashes of the seed journey_stages
--                     + hash of the journey vars (macro journey_chain_settings)
-- int_journey_checkpoints, int_journey_scores_decayed and int_journey_stages_evaluated store it
-- in each row; an incremental run recomputes whole the accounts whose fingerprint they do not
-- hold, and every account from the previous "as of" on (macro journey_chain_meta).

{%- set settings_literal = journey_chain_settings() %}

with

accounts as (
    select
        account_id,
        {{ row_hash(['account_id', 'created_at']) }} as account_hash
    from {{ ref('dim_accounts') }}
    where not is_unknown
),

touchpoint_fingerprints as (
    select
        account_id,
        {{ fingerprint_sum(['touchpoint_id', 'occurred_at', 'points', 'engaged_contact_id']) }}
            as touchpoints_fingerprint
    from {{ ref('int_journey_touchpoints_weighted') }}
    group by account_id
),

trigger_fingerprints as (
    select
        account_id,
        {{ fingerprint_sum(['trigger_id', 'touchpoint_id', 'fired_at', 'to_stage_order']) }}
            as triggers_fingerprint
    from {{ ref('int_journey_triggers_fired') }}
    group by account_id
),

stages_fingerprint as (
    select
        coalesce({{ fingerprint_sum(['stage', 'stage_order', 'score_min']) }}, 0) as stages_fingerprint
    from {{ ref('journey_stages') }}
),

final as (
    select
        accounts.account_id,
        cast(
            cast(accounts.account_hash as decimal(38, 0))
            + coalesce(touchpoint_fingerprints.touchpoints_fingerprint, 0)
            + coalesce(trigger_fingerprints.triggers_fingerprint, 0)
            + stages_fingerprint.stages_fingerprint
            + cast({{ row_hash([settings_literal]) }} as decimal(38, 0))
            as decimal(38, 0)
        ) as input_fingerprint
    from accounts
    left join touchpoint_fingerprints
        on accounts.account_id = touchpoint_fingerprints.account_id
    left join trigger_fingerprints
        on accounts.account_id = trigger_fingerprints.account_id
    cross join stages_fingerprint
)

select * from final
