-- One row per CRM account, plus the explicit 'unknown' member that facts point to when an
-- interaction could not be tied to an account. Accounts come from the CRM only: an e-mail
-- domain can point to a CRM account but never creates one.

with

crm_accounts as (
    select
        account_id,
        account_name,
        account_domain,
        website,
        industry,
        employee_count,
        billing_country,
        created_at
    from {{ ref('stg_crm__accounts') }}
),

contacts as (
    select
        contact_id,
        account_id
    from {{ ref('dim_contacts') }}
),

contact_counts as (
    select
        account_id,
        count(distinct contact_id) as known_contact_count
    from contacts
    group by account_id
),

crm_account_rows as (
    select
        crm_accounts.account_id,
        crm_accounts.account_name,
        crm_accounts.account_domain,
        crm_accounts.website,
        crm_accounts.industry,
        crm_accounts.employee_count,
        crm_accounts.billing_country,
        crm_accounts.created_at,
        coalesce(contact_counts.known_contact_count, 0) as known_contact_count,
        false as is_unknown
    from crm_accounts
    left join contact_counts
        on crm_accounts.account_id = contact_counts.account_id
),

unknown_account as (
    select
        'unknown' as account_id,
        'Unknown account' as account_name,
        cast(null as {{ dbt.type_string() }}) as account_domain,
        cast(null as {{ dbt.type_string() }}) as website,
        cast(null as {{ dbt.type_string() }}) as industry,
        cast(null as {{ dbt.type_bigint() }}) as employee_count,
        cast(null as {{ dbt.type_string() }}) as billing_country,
        cast(null as {{ dbt.type_timestamp() }}) as created_at,
        0 as known_contact_count,
        true as is_unknown
),

final as (
    select * from crm_account_rows
    union all
    select * from unknown_account
)

{{ select_contract_columns('final') }}
