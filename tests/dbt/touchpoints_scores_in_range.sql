-- Scores stay within 0..10, ratios and depths are never negative, and meetings booked or
-- attended are always touchpoints scoring at least var('tp_meeting_min_score').

select interaction_id, touchpoint_score, attention_ratio, engagement_depth, reason
from {{ ref('fct_interactions') }}
where touchpoint_score < 0
    or touchpoint_score > 10
    or attention_ratio < 0
    or engagement_depth < 0
    or engagement_depth > 1
    or (
        engagement_kind in ('meeting_booked', 'meeting_attended')
        and (not is_touchpoint or touchpoint_score < {{ var('tp_meeting_min_score') }})
    )
