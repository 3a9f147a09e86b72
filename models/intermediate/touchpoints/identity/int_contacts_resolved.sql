-- One row per e-mail address seen in any source, resolved to a contact and an account.
-- contact: the CRM contact holding the e-mail, else 'contact:' || a keyed hash of the e-mail
-- (macro keyed_hash: no address in any key downstream).
-- account: the CRM contact's account first; else the account whose website domain equals the
-- e-mail domain, but never for free-mail domains (gmail.com and co. say nothing about employers).

with

crm_contacts as (
    select
        contact_id,
        account_id,
        email,
        created_at
    from {{ ref('stg_crm__contacts') }}
),

crm_accounts as (
    select
        account_id,
        account_domain,
        created_at
    from {{ ref('stg_crm__accounts') }}
),

free_mail_domains as (
    select lower(domain) as email_domain
    from {{ ref('free_mail_domains') }}
),

emails_seen as (
    select email from crm_contacts
    union
    select email from {{ ref('stg_forms__submissions') }}
    union
    select email from {{ ref('stg_email__events') }}
    union
    select identified_email as email from {{ ref('stg_segment__events') }}
    union
    select email from {{ ref('stg_webinars__attendances') }}
    union
    select viewer_email as email from {{ ref('stg_documents__views') }}
    union
    select attendee_email as email from {{ ref('stg_meetings__attendees') }}
    union
    select contact_email as email from {{ ref('stg_calls__calls') }}
),

emails as (
    select
        email,
        {{ email_domain('email') }} as email_domain
    from emails_seen
    where email is not null
),

-- two CRM contacts may share an e-mail: the oldest one owns it
crm_contacts_ranked as (
    select
        contact_id,
        account_id,
        email,
        row_number() over (partition by email order by created_at, contact_id) as email_rank
    from crm_contacts
    where email is not null
),

crm_contact_per_email as (
    select
        contact_id,
        account_id,
        email
    from crm_contacts_ranked
    where email_rank = 1
),

-- a CRM account id only counts when the account exists (deleted accounts are dropped in staging)
crm_contact_accounts as (
    select
        crm_contact_per_email.email,
        crm_contact_per_email.contact_id,
        crm_accounts.account_id
    from crm_contact_per_email
    left join crm_accounts
        on crm_contact_per_email.account_id = crm_accounts.account_id
),

-- two accounts may share a website domain: the oldest one wins
accounts_ranked_by_domain as (
    select
        account_id,
        account_domain,
        row_number() over (partition by account_domain order by created_at, account_id) as domain_rank
    from crm_accounts
    where account_domain is not null
),

account_per_domain as (
    select
        account_id,
        account_domain
    from accounts_ranked_by_domain
    where domain_rank = 1
),

emails_joined as (
    select
        emails.email,
        emails.email_domain,
        crm_contact_accounts.contact_id as crm_contact_id,
        crm_contact_accounts.account_id as crm_account_id,
        account_per_domain.account_id as domain_account_id,
        free_mail_domains.email_domain is not null as is_free_mail
    from emails
    left join crm_contact_accounts
        on emails.email = crm_contact_accounts.email
    left join free_mail_domains
        on emails.email_domain = free_mail_domains.email_domain
    left join account_per_domain
        on emails.email_domain = account_per_domain.account_domain
),

final as (
    select
        email,
        email_domain,
        coalesce(crm_contact_id, 'contact:' || {{ keyed_hash('email') }}) as contact_id,
        case
            when crm_account_id is not null then crm_account_id
            when not is_free_mail then domain_account_id
        end as account_id,
        case
            when crm_account_id is not null then 'crm'
            when not is_free_mail and domain_account_id is not null then 'email_domain'
        end as account_match_method,
        is_free_mail,
        crm_contact_id is not null as is_in_crm
    from emails_joined
)

select * from final
