-- Invariant: under every model, each conversion's credits are non-negative, at most 1, and
-- sum to 1 (within 1e-9). Returns the offending model / conversion pairs.

with

credits as (
    select
        model_name,
        conversion_id,
        credit
    from {{ ref('mart_attribution_credits') }}
),

per_conversion as (
    select
        model_name,
        conversion_id,
        sum(credit) as credit_total,
        min(credit) as smallest_credit,
        max(credit) as largest_credit
    from credits
    group by model_name, conversion_id
)

select *
from per_conversion
where abs(credit_total - 1) > 1e-9
    or smallest_credit < 0
    or largest_credit > 1 + 1e-9
