-- One row per account with an attribution journey: a fingerprint of everything its journeys'
-- paths are computed from.
--   input_fingerprint = sum of the hashes of its int_attribution__journeys rows
--                     + sum of the hashes of its fct_touchpoints rows (the columns paths read)
--                     + hash of the path vars (macro attribution_path_settings)
-- int_attribution__journey_touchpoints, int_attribution__paths and
-- int_attribution__non_converting_paths store it in each row; an incremental run recomputes the
-- accounts whose fingerprint they do not hold (new, changed journeys or touchpoints, a tuned
-- path var), and the stored rows of other fingerprints leave (macro attribution_paths_meta).

{%- set settings_literal = attribution_path_settings() %}

with

journey_fingerprints as (
    select
        account_id,
        {{ fingerprint_sum([
            'journey_id', 'conversion_type', 'is_converting', 'contact_id', 'opportunity_id',
            'revenue', 'pipeline_amount', 'starts_after_at', 'ends_at', 'lead_at',
            'opportunity_at', 'won_at',
        ]) }} as journeys_fingerprint
    from {{ ref('int_attribution__journeys') }}
    -- a journey without an account has no touchpoints, so no path rows to keep
    where account_id is not null
    group by account_id
),

touchpoint_fingerprints as (
    select
        account_id,
        {{ fingerprint_sum([
            'touchpoint_id', 'occurred_at', 'channel', 'campaign_id', 'content_id', 'touchpoint_type',
        ]) }} as touchpoints_fingerprint
    from {{ ref('fct_touchpoints') }}
    where account_id is not null and account_id <> 'unknown'
    group by account_id
),

final as (
    select
        journey_fingerprints.account_id,
        cast(
            journey_fingerprints.journeys_fingerprint
            + coalesce(touchpoint_fingerprints.touchpoints_fingerprint, 0)
            + cast({{ row_hash([settings_literal]) }} as decimal(38, 0))
            as decimal(38, 0)
        ) as input_fingerprint
    from journey_fingerprints
    left join touchpoint_fingerprints
        on journey_fingerprints.account_id = touchpoint_fingerprints.account_id
)

select * from final
