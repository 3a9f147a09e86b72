-- The journey score stays within 0..10 at every checkpoint.
select account_id, evaluated_at, journey_score
from {{ ref('int_journey_scores_decayed') }}
where journey_score < 0 or journey_score > 10
