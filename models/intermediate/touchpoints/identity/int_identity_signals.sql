-- One row per moment a browser (Segment anonymousId) showed who is behind it:
--   identify     a Segment call carrying the person (traits.email, or userId as e-mail or CRM
--                contact id) next to the anonymousId (identify calls, and page/track calls
--                made after an identify)
--   form         a form submission sent with the browser's anonymous_id
--   email_click  a page view whose URL carries mkt_tok = the event id of an e-mail click; the
--                recipient of that e-mail is the person
-- Ad clicks are no signal: they name no person (see int_ad_clicks_linked).
-- signal_priority breaks ties between signals at the same instant: explicit beats inferred.

with

segment_events as (
    select
        event_id,
        event_type,
        anonymous_id,
        user_id,
        identified_email,
        email_token,
        occurred_at
    from {{ ref('stg_segment__events') }}
    where anonymous_id is not null
),

form_submissions as (
    select
        submission_id,
        anonymous_id,
        email,
        submitted_at
    from {{ ref('stg_forms__submissions') }}
    where anonymous_id is not null
),

email_clicks as (
    select
        email_event_id,
        email
    from {{ ref('stg_email__events') }}
    where event_type = 'click'
),

contacts_resolved as (
    select
        email,
        contact_id
    from {{ ref('int_contacts_resolved') }}
),

crm_contacts as (
    select contact_id
    from {{ ref('stg_crm__contacts') }}
),

identify_signals as (
    select
        'identify:' || segment_events.event_id as signal_id,
        segment_events.anonymous_id as visitor_id,
        coalesce(contacts_resolved.contact_id, crm_contacts.contact_id) as contact_id,
        segment_events.occurred_at as signal_at,
        'identify' as identified_by,
        1 as signal_priority
    from segment_events
    left join contacts_resolved
        on segment_events.identified_email = contacts_resolved.email
    left join crm_contacts
        on segment_events.user_id = crm_contacts.contact_id
    where segment_events.identified_email is not null
        or segment_events.user_id is not null
),

form_signals as (
    select
        'form:' || form_submissions.submission_id as signal_id,
        form_submissions.anonymous_id as visitor_id,
        contacts_resolved.contact_id,
        form_submissions.submitted_at as signal_at,
        'form' as identified_by,
        2 as signal_priority
    from form_submissions
    inner join contacts_resolved
        on form_submissions.email = contacts_resolved.email
),

email_click_signals as (
    select
        'email_click:' || segment_events.event_id as signal_id,
        segment_events.anonymous_id as visitor_id,
        contacts_resolved.contact_id,
        segment_events.occurred_at as signal_at,
        'email_click' as identified_by,
        3 as signal_priority
    from segment_events
    inner join email_clicks
        on segment_events.email_token = email_clicks.email_event_id
    inner join contacts_resolved
        on email_clicks.email = contacts_resolved.email
    where segment_events.event_type = 'page'
),

unioned as (
    select * from identify_signals
    union all
    select * from form_signals
    union all
    select * from email_click_signals
),

final as (
    select
        signal_id,
        visitor_id,
        contact_id,
        signal_at,
        identified_by,
        signal_priority
    from unioned
    where contact_id is not null
)

select * from final
