-- The meaningful interactions: one row per touchpoint (see README "How touchpoints are scored").
-- touchpoint_id is the interaction_id of fct_interactions.
-- Incremental like fct_interactions: a run rewrites the interactions of the change set
-- (int_interactions_changed, macro in_change_set). It deletes every one of them, not only the
-- touchpoints among them (meta replaced_keys, macros/replaced_keys.sql), so an interaction that
-- is no longer a touchpoint leaves the table.
{{
    config(
        materialized='incremental',
        unique_key='touchpoint_id',
        incremental_strategy=incremental_strategy(),
        meta={'replaced_keys': {'model': 'int_interactions_changed', 'column': 'interaction_id'}},
    )
}}

with

interactions as (
    select * from {{ ref('fct_interactions') }}
    where is_touchpoint
        and {{ in_change_set() }}
),

final as (
    select
        interaction_id as touchpoint_id,
        occurred_at,
        account_id,
        contact_id,
        visitor_id,
        channel,
        touchpoint_type,
        source_system,
        source_file_name,
        cast(source_row_number as bigint) as source_row_number,
        cast(attention_ratio as double) as attention_ratio,
        cast(engagement_depth as double) as engagement_depth,
        cast(touchpoint_score as double) as touchpoint_score,
        reason,
        campaign_id,
        campaign_name,
        content_id,
        content_type,
        url_path
    from interactions
)

{{ select_contract_columns('final') }}
