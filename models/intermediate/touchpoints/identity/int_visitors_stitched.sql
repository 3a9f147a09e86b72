-- The identity map: which contact is behind a browser (Segment anonymousId) at which time.
-- One row per stretch of time a visitor is one contact. The visitor is that contact from the
-- signal that names them until a signal names someone else (a shared computer, a colleague's
-- form fill), so a visitor is one contact at a time. The first stretch reaches back to the
-- var identity_beginning_of_time: the first identification also covers the visitor's earlier,
-- anonymous events. valid_to_at is exclusive and null for the current stretch.
-- Join an event with: occurred_at >= valid_from_at and (valid_to_at is null or occurred_at < valid_to_at).

with

signals as (
    select
        visitor_id,
        contact_id,
        signal_at,
        identified_by,
        signal_priority
    from {{ ref('int_identity_signals') }}
),

-- several signals at the same instant: the most explicit one speaks
signals_ranked_per_instant as (
    select
        *,
        row_number() over (
            partition by visitor_id, signal_at
            order by signal_priority, contact_id
        ) as instant_rank
    from signals
),

signals_with_previous_contact as (
    select
        visitor_id,
        contact_id,
        signal_at,
        identified_by,
        lag(contact_id) over (partition by visitor_id order by signal_at) as previous_contact_id
    from signals_ranked_per_instant
    where instant_rank = 1
),

-- a mapping starts where the contact changes; later signals for the same contact extend it
mapping_starts as (
    select
        visitor_id,
        contact_id,
        signal_at,
        identified_by
    from signals_with_previous_contact
    where previous_contact_id is null
        or previous_contact_id <> contact_id
),

mappings_sequenced as (
    select
        visitor_id,
        contact_id,
        identified_by,
        signal_at as identified_at,
        lead(signal_at) over (partition by visitor_id order by signal_at) as valid_to_at,
        row_number() over (partition by visitor_id order by signal_at) as mapping_number,
        min(signal_at) over (partition by visitor_id) as first_identified_at
    from mapping_starts
),

final as (
    select
        visitor_id || ':' || cast(mapping_number as {{ dbt.type_string() }}) as identity_mapping_id,
        visitor_id,
        contact_id,
        case
            when mapping_number = 1
                then cast('{{ var("identity_beginning_of_time") }}' as {{ dbt.type_timestamp() }})
            else identified_at
        end as valid_from_at,
        valid_to_at,
        identified_by,
        identified_at,
        first_identified_at,
        mapping_number,
        valid_to_at is null as is_current
    from mappings_sequenced
)

select * from final
