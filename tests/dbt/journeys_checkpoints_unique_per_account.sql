-- Each account has each checkpoint time once (the score and stage are evaluated once per time).
select account_id, evaluated_at, count(*) as rows_at_time
from {{ ref('int_journey_checkpoints') }}
group by 1, 2
having count(*) > 1
