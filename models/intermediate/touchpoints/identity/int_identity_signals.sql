-- One row per moment a browser (Segment anonymousId) showed who is behind it: the evidence of
-- int_identity_evidence, resolved to a contact as of this run:
--   identify     the e-mail (int_contacts_resolved), else a userId that is a CRM contact id
--   form         the submitted e-mail
--   email_click  the recipient of the e-mail click whose event id the page view's mkt_tok
--                carries (a token of an e-mail open, or of no known event, names nobody)
-- Evidence naming no contact is dropped. Ad clicks are no signal: they name no person (see
-- int_ad_clicks_linked). signal_priority breaks ties between signals at the same instant:
-- explicit beats inferred.
-- A table over the compact evidence (no staged event is read again): a contact created in the
-- CRM or an e-mail click exported after the page view it led to resolves old evidence anew.

with

evidence as (
    select
        signal_id,
        visitor_id,
        signal_at,
        identified_by,
        named_email,
        named_user_id,
        email_token
    from {{ ref('int_identity_evidence') }}
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

named_persons as (
    select
        evidence.signal_id,
        evidence.visitor_id,
        evidence.signal_at,
        evidence.identified_by,
        evidence.named_user_id,
        coalesce(evidence.named_email, email_clicks.email) as email
    from evidence
    left join email_clicks
        on evidence.email_token = email_clicks.email_event_id
),

resolved as (
    select
        named_persons.signal_id,
        named_persons.visitor_id,
        -- a userId counts only on an identify call: forms and e-mail clicks carry none
        coalesce(contacts_resolved.contact_id, crm_contacts.contact_id) as contact_id,
        named_persons.signal_at,
        named_persons.identified_by,
        case named_persons.identified_by
            when 'identify' then 1
            when 'form' then 2
            else 3
        end as signal_priority
    from named_persons
    left join contacts_resolved
        on named_persons.email = contacts_resolved.email
    left join crm_contacts
        on named_persons.named_user_id = crm_contacts.contact_id
),

final as (
    select
        signal_id,
        visitor_id,
        contact_id,
        signal_at,
        identified_by,
        signal_priority
    from resolved
    where contact_id is not null
)

select * from final
