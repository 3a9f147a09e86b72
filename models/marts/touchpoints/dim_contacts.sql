-- One row per contact: every CRM contact, every e-mail seen outside the CRM
-- ('contact:' || keyed hash of the e-mail), and the explicit 'unknown' member for interactions without a person.
-- account_id is 'unknown' when no account could be resolved.

with

crm_contacts as (
    select
        contact_id,
        account_id,
        email,
        first_name,
        last_name,
        title,
        lead_source,
        created_at
    from {{ ref('stg_crm__contacts') }}
),

crm_accounts as (
    select account_id
    from {{ ref('stg_crm__accounts') }}
),

contacts_resolved as (
    select
        email,
        email_domain,
        contact_id,
        account_id,
        account_match_method,
        is_free_mail,
        is_in_crm
    from {{ ref('int_contacts_resolved') }}
),

-- a CRM contact without e-mail, or whose e-mail belongs to an older duplicate, keeps its own
-- CRM account when that account exists
crm_contact_rows as (
    select
        crm_contacts.contact_id,
        crm_contacts.email,
        coalesce(contacts_resolved.email_domain, {{ email_domain('crm_contacts.email') }}) as email_domain,
        crm_contacts.first_name,
        crm_contacts.last_name,
        crm_contacts.title,
        crm_contacts.lead_source,
        coalesce(contacts_resolved.account_id, crm_accounts.account_id, 'unknown') as account_id,
        case
            when contacts_resolved.contact_id is not null then contacts_resolved.account_match_method
            when crm_accounts.account_id is not null then 'crm'
        end as account_match_method,
        coalesce(contacts_resolved.is_free_mail, false) as is_free_mail,
        true as is_in_crm,
        crm_contacts.created_at,
        false as is_unknown
    from crm_contacts
    left join contacts_resolved
        on crm_contacts.contact_id = contacts_resolved.contact_id
    left join crm_accounts
        on crm_contacts.account_id = crm_accounts.account_id
),

email_only_rows as (
    select
        contact_id,
        email,
        email_domain,
        cast(null as {{ dbt.type_string() }}) as first_name,
        cast(null as {{ dbt.type_string() }}) as last_name,
        cast(null as {{ dbt.type_string() }}) as title,
        cast(null as {{ dbt.type_string() }}) as lead_source,
        coalesce(account_id, 'unknown') as account_id,
        account_match_method,
        is_free_mail,
        false as is_in_crm,
        cast(null as {{ dbt.type_timestamp() }}) as created_at,
        false as is_unknown
    from contacts_resolved
    where not is_in_crm
),

unknown_contact as (
    select
        'unknown' as contact_id,
        cast(null as {{ dbt.type_string() }}) as email,
        cast(null as {{ dbt.type_string() }}) as email_domain,
        cast(null as {{ dbt.type_string() }}) as first_name,
        cast(null as {{ dbt.type_string() }}) as last_name,
        cast(null as {{ dbt.type_string() }}) as title,
        cast(null as {{ dbt.type_string() }}) as lead_source,
        'unknown' as account_id,
        cast(null as {{ dbt.type_string() }}) as account_match_method,
        false as is_free_mail,
        false as is_in_crm,
        cast(null as {{ dbt.type_timestamp() }}) as created_at,
        true as is_unknown
),

final as (
    select * from crm_contact_rows
    union all
    select * from email_only_rows
    union all
    select * from unknown_contact
)

{{ select_contract_columns('final') }}
