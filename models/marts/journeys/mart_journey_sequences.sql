-- Pairs and triples of consecutive touchpoint types in won and lost journeys: how many
-- journeys of each outcome contain them, the win rate among those, and the lift over the
-- overall win rate (lift > 1: journeys with the sequence are won more often than average).
with

steps as (

    select
        account_id,
        step_number,
        touchpoint_type,
        outcome
    from {{ ref('int_journey_path_steps') }}
    where outcome in ('won', 'lost')

),

with_previous_type as (

    select
        *,
        lag(touchpoint_type) over (partition by account_id order by step_number) as previous_type
    from steps

),

kept_steps as (

    select
        account_id,
        touchpoint_type,
        outcome,
        row_number() over (partition by account_id order by step_number) as position
    from with_previous_type
    {% if var('journey_sequence_collapse_repeats') %}
        where previous_type is null or previous_type <> touchpoint_type
    {% endif %}

),

windows as (

    select
        account_id,
        outcome,
        touchpoint_type as type_1,
        lead(touchpoint_type, 1) over (partition by account_id order by position) as type_2,
        lead(touchpoint_type, 2) over (partition by account_id order by position) as type_3
    from kept_steps

),

sequences as (

    select
        account_id,
        outcome,
        2 as sequence_length,
        type_1 || ' > ' || type_2 as sequence
    from windows where type_2 is not null
    union all
    select
        account_id,
        outcome,
        3 as sequence_length,
        type_1 || ' > ' || type_2 || ' > ' || type_3 as sequence
    from windows where type_3 is not null

),

journey_totals as (

    select
        count(distinct case when outcome = 'won' then account_id end) as won_journeys_total,
        count(distinct account_id) as closed_journeys_total
    from steps

),

per_sequence as (

    select
        sequence,
        sequence_length,
        sum(case when outcome = 'won' then 1 else 0 end) as occurrences_in_won,
        sum(case when outcome = 'lost' then 1 else 0 end) as occurrences_in_lost,
        count(distinct case when outcome = 'won' then account_id end) as won_journeys,
        count(distinct case when outcome = 'lost' then account_id end) as lost_journeys
    from sequences
    group by 1, 2

),

final as (

    select
        per_sequence.*,
        per_sequence.won_journeys + per_sequence.lost_journeys as closed_journeys,
        per_sequence.won_journeys + per_sequence.lost_journeys
        >= {{ var('journey_sequence_min_journeys') }} as has_min_support,
        per_sequence.won_journeys / (per_sequence.won_journeys + per_sequence.lost_journeys) as win_rate,
        journey_totals.won_journeys_total / journey_totals.closed_journeys_total as baseline_win_rate,
        (per_sequence.won_journeys / (per_sequence.won_journeys + per_sequence.lost_journeys))
        / nullif(journey_totals.won_journeys_total / journey_totals.closed_journeys_total, 0) as lift
    from per_sequence
    cross join journey_totals

)

{{ select_contract_columns('final') }}
