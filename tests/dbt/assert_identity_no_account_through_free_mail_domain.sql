-- No account is ever matched through a free-mail domain: a free-mail e-mail has an account
-- only when its CRM contact belongs to that account.
-- Reads several models: shown in Dagster as an asset check of int_contacts_resolved.
{{ config(meta={'dagster': {'ref': {'name': 'int_contacts_resolved'}}}) }}
select
    contacts_resolved.email,
    contacts_resolved.account_id,
    contacts_resolved.account_match_method
from {{ ref('int_contacts_resolved') }} as contacts_resolved
inner join {{ ref('free_mail_domains') }} as free_mail_domains
    on contacts_resolved.email_domain = lower(free_mail_domains.domain)
where contacts_resolved.account_id is not null
    and (contacts_resolved.account_match_method is null or contacts_resolved.account_match_method <> 'crm')
