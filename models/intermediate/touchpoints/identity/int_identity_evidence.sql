{{
    config(
        materialized='incremental',
        unique_key='signal_id',
        incremental_strategy=incremental_strategy(),
        meta={'tests_recent_load_column': 'loaded_at'},
    )
}}
-- One row per staged row that may name the person behind a browser (Segment anonymousId), as
-- it arrived, before anyone resolves it (int_identity_signals does):
--   identify     a Segment call carrying traits.email or a userId (identify calls, and
--                page/track calls made after an identify)
--   form         a form submission sent with the browser's anonymous_id, naming its e-mail
--   email_click  a page view whose URL carries mkt_tok (email_token): the event id of an e-mail
--                event, whose recipient is the person when that event is a click
-- Event grain, parsed once: incremental by load (delete+insert on signal_id). A run reads the
-- staged rows loaded since the watermark (the latest loaded_at here minus
-- var('tp_incremental_lookback_hours')); a re-exported row replaces its evidence. Nothing is
-- joined here, so a contact, a CRM change or an e-mail click that arrives later changes the
-- resolution (int_identity_signals), not this table.
-- A stored row whose re-export names nobody any more cannot leave incrementally: the run stops
-- and names the full refresh (macro stop_if_identity_evidence_withdrawn).
{%- if execute and is_incremental() %}
    {%- do stop_if_identity_evidence_withdrawn() %}
{%- endif %}

{#- the staged rows this run reads: all of them, or on an incremental run those loaded since the watermark #}
{%- set is_new_row = loaded_in_this_run() %}

with

segment_events as (
    select
        event_id,
        event_type,
        anonymous_id,
        user_id,
        identified_email,
        email_token,
        occurred_at,
        source_file_name,
        source_row_number,
        loaded_at
    from {{ ref('stg_segment__events') }}
    where {{ is_new_row }}
),

form_submissions as (
    select
        submission_id,
        anonymous_id,
        email,
        submitted_at,
        source_file_name,
        source_row_number,
        loaded_at
    from {{ ref('stg_forms__submissions') }}
    where {{ is_new_row }}
),

identify_evidence as (
    select
        'identify:' || event_id as signal_id,
        anonymous_id as visitor_id,
        occurred_at as signal_at,
        'identify' as identified_by,
        identified_email as named_email,
        user_id as named_user_id,
        cast(null as {{ dbt.type_string() }}) as email_token,
        source_file_name,
        source_row_number,
        loaded_at
    from segment_events
    where {{ identity_evidence_condition('identify') }}
),

form_evidence as (
    select
        'form:' || submission_id as signal_id,
        anonymous_id as visitor_id,
        submitted_at as signal_at,
        'form' as identified_by,
        email as named_email,
        cast(null as {{ dbt.type_string() }}) as named_user_id,
        cast(null as {{ dbt.type_string() }}) as email_token,
        source_file_name,
        source_row_number,
        loaded_at
    from form_submissions
    where {{ identity_evidence_condition('form') }}
),

email_click_evidence as (
    select
        'email_click:' || event_id as signal_id,
        anonymous_id as visitor_id,
        occurred_at as signal_at,
        'email_click' as identified_by,
        cast(null as {{ dbt.type_string() }}) as named_email,
        cast(null as {{ dbt.type_string() }}) as named_user_id,
        email_token,
        source_file_name,
        source_row_number,
        loaded_at
    from segment_events
    where {{ identity_evidence_condition('email_click') }}
),

final as (
    select * from identify_evidence
    union all
    select * from form_evidence
    union all
    select * from email_click_evidence
)

select * from final
