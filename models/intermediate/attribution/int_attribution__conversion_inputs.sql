-- One row per conversion that mart_attribution_credits credits (fct_conversions other than
-- closed_lost): a fingerprint of everything its touchpoint-level credits are computed from.
--   input_fingerprint = hash of its fct_conversions row (the columns the mart reads)
--                     + sum of the hashes of its int_attribution__paths rows
--                     + sum of the hashes of the seed attribution_custom_weights
--                     + hash of the attribution vars (macro attribution_credit_settings)
-- Sums of hashes (macro fingerprint_sum) do not depend on row order. mart_attribution_credits
-- stores the fingerprint in each row and recomputes only the conversions whose fingerprint is
-- not stored (new, or changed in any input); its stored rows of other fingerprints leave.

{%- set settings_literal = attribution_credit_settings() %}

with

conversions as (
    select
        conversion_id,
        account_id,
        {{ row_hash([
            'conversion_id', 'conversion_type', 'converted_at', 'account_id', 'revenue',
            'pipeline_amount',
        ]) }} as conversion_hash
    from {{ ref('fct_conversions') }}
    where conversion_type <> 'closed_lost'
),

path_fingerprints as (
    select
        conversion_id,
        {{ fingerprint_sum([
            'touchpoint_id', 'occurred_at', 'channel', 'campaign_id', 'content_id',
            'touchpoint_type', 'path_position', 'path_length', 'days_before_conversion',
            'revenue', 'is_first_touch', 'is_last_touch', 'is_last_non_direct_touch',
            'is_lead_touch', 'is_opportunity_touch', 'is_won_touch',
        ]) }} as path_fingerprint
    from {{ ref('int_attribution__paths') }}
    group by conversion_id
),

custom_weights_fingerprint as (
    select
        coalesce({{ fingerprint_sum(['dimension', 'value', 'weight']) }}, 0) as weights_fingerprint
    from {{ ref('attribution_custom_weights') }}
),

final as (
    select
        conversions.conversion_id,
        conversions.account_id,
        cast(
            cast(conversions.conversion_hash as decimal(38, 0))
            + coalesce(path_fingerprints.path_fingerprint, 0)
            + custom_weights_fingerprint.weights_fingerprint
            + cast({{ row_hash([settings_literal]) }} as decimal(38, 0))
            as decimal(38, 0)
        ) as input_fingerprint
    from conversions
    left join path_fingerprints
        on conversions.conversion_id = path_fingerprints.conversion_id
    cross join custom_weights_fingerprint
)

select * from final
