-- One row per conversion event. Types:
--   lead_created        a contact's first identification: the earlier of its CRM creation and
--                       its first form fill (one per contact, CRM or e-mail-only contact)
--   opportunity_created an opportunity's creation; pipeline_amount = amount
--   closed_won          a won opportunity's close date; revenue = pipeline_amount = amount
--   closed_lost         a lost opportunity's close date (a non-conversion of closed_won)
-- revenue is 0 unless closed_won, so sums reconcile to won revenue in the CRM.

with

crm_contacts as (
    select
        contact_id,
        account_id,
        created_at
    from {{ ref('stg_crm__contacts') }}
),

form_submissions as (
    select
        email,
        submitted_at
    from {{ ref('stg_forms__submissions') }}
    where email is not null
),

resolved_emails as (
    select
        email,
        contact_id,
        account_id
    from {{ ref('int_contacts_resolved') }}
),

opportunities as (
    select
        opportunity_id,
        account_id,
        contact_id,
        amount,
        created_at,
        closed_at,
        is_closed,
        is_won
    from {{ ref('stg_crm__opportunities') }}
),

contact_accounts as (
    select
        contact_id,
        max(account_id) as account_id
    from resolved_emails
    group by contact_id
),

identification_events as (
    select
        contact_id,
        created_at as identified_at
    from crm_contacts
    where created_at is not null
    union all
    select
        resolved_emails.contact_id,
        form_submissions.submitted_at as identified_at
    from form_submissions
    inner join resolved_emails
        on form_submissions.email = resolved_emails.email
    where form_submissions.submitted_at is not null
),

first_identifications as (
    select
        contact_id,
        min(identified_at) as converted_at
    from identification_events
    group by contact_id
),

leads_created as (
    select
        'lead_created:' || first_identifications.contact_id as conversion_id,
        'lead_created' as conversion_type,
        first_identifications.converted_at,
        coalesce(contact_accounts.account_id, crm_contacts.account_id, 'unknown') as account_id,
        first_identifications.contact_id,
        cast(null as {{ dbt.type_string() }}) as opportunity_id,
        cast(0 as double) as revenue,
        cast(0 as double) as pipeline_amount
    from first_identifications
    left join contact_accounts
        on first_identifications.contact_id = contact_accounts.contact_id
    left join crm_contacts
        on first_identifications.contact_id = crm_contacts.contact_id
),

opportunities_created as (
    select
        'opportunity_created:' || opportunity_id as conversion_id,
        'opportunity_created' as conversion_type,
        created_at as converted_at,
        coalesce(account_id, 'unknown') as account_id,
        contact_id,
        opportunity_id,
        cast(0 as double) as revenue,
        cast(coalesce(amount, 0) as double) as pipeline_amount
    from opportunities
    where created_at is not null
),

opportunities_closed as (
    select
        case when is_won then 'closed_won:' else 'closed_lost:' end || opportunity_id
            as conversion_id,
        case when is_won then 'closed_won' else 'closed_lost' end as conversion_type,
        closed_at as converted_at,
        coalesce(account_id, 'unknown') as account_id,
        contact_id,
        opportunity_id,
        cast(case when is_won then coalesce(amount, 0) else 0 end as double) as revenue,
        cast(coalesce(amount, 0) as double) as pipeline_amount
    from opportunities
    where is_closed and closed_at is not null
),

final as (
    select * from leads_created
    union all
    select * from opportunities_created
    union all
    select * from opportunities_closed
)

{{ select_contract_columns('final') }}
