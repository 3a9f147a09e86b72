-- Meetings booked or attended are always touchpoints scoring at least var('tp_meeting_min_score').
-- (The 0..10 score, non-negative ratio and 0..1 depth are accepted_range tests in the YAML.)

select
    interaction_id,
    engagement_kind,
    is_touchpoint,
    touchpoint_score,
    reason
from {{ ref('fct_interactions') }}
where engagement_kind in ('meeting_booked', 'meeting_attended')
    and (not is_touchpoint or touchpoint_score < {{ var('tp_meeting_min_score') }})
