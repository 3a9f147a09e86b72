{#-
    The common body of the attribution spend marts (per model, month and one dimension such as
    channel or campaign): credits, influence and spend summed onto one grid, then ROAS and cost
    per attributed lead, opportunity and won deal (null where the value has no spend rows in
    the month: no spend is not zero cost). Credits and influence are dated by the
    conversion month, spend by the spend month. The grid holds every (model, month, value) with
    credit, plus every enabled model for each (month, value) with influence or spend.

    Emits the CTEs credits_by_<grain>, influence_by_<grain>, spend_by_<grain>, month_<grain>s,
    grid, joined and final, to be placed at the end of the caller's `with` list:

        with
        ...imports...,
        {{ attribution_spend_metrics(grain='channel', dimension='channel') }}
        select * from final

    grain:          word used in CTE names and in the key column `<grain>_month_id`
    dimension:      the column credited, influenced and spent on (channel, campaign_id, ...)
    credits:        model_name, conversion_month, <dimension>, conversion_type, credit,
                    attributed_revenue, attributed_pipeline
    influenced:     distinct conversion_month, <dimension>, opportunity_id, pipeline_amount
    spend:          month_start, <dimension>, spend (and name_column when given)
    enabled_models: model_name, one row per model that gets a row for every (month, value)
    name_column:    optional label column (e.g. campaign_name), carried after <dimension>:
                    the month's label in `spend`, else the one in `names`
    names:          with name_column: one row per <dimension> with its name_column
-#}
{% macro attribution_spend_metrics(
    grain,
    dimension,
    credits='credits',
    influenced='influenced',
    spend='spend_monthly',
    enabled_models='enabled_models',
    name_column=none,
    names=none
) %}
credits_by_{{ grain }} as (
    select
        model_name,
        conversion_month as month_start,
        {{ dimension }},
        {{ sum_exact("case when conversion_type = 'lead_created' then credit else 0 end") }} as attributed_leads,
        {{ sum_exact("case when conversion_type = 'opportunity_created' then credit else 0 end") }}
            as attributed_opportunities,
        {{ sum_exact("case when conversion_type = 'closed_won' then credit else 0 end") }} as attributed_won_deals,
        {{ sum_exact('attributed_revenue') }} as attributed_revenue,
        {{ sum_exact('attributed_pipeline') }} as attributed_pipeline
    from {{ credits }}
    group by model_name, conversion_month, {{ dimension }}
),

influence_by_{{ grain }} as (
    select
        conversion_month as month_start,
        {{ dimension }},
        count(*) as influenced_opportunities,
        {{ sum_exact('pipeline_amount') }} as influenced_pipeline
    from {{ influenced }}
    group by conversion_month, {{ dimension }}
),

spend_by_{{ grain }} as (
    select
        month_start,
        {{ dimension }},
        {%- if name_column %}
        max({{ name_column }}) as {{ name_column }},
        {%- endif %}
        {{ sum_exact('spend') }} as spend
    from {{ spend }}
    group by month_start, {{ dimension }}
),

month_{{ grain }}s as (
    select month_start, {{ dimension }} from influence_by_{{ grain }}
    union
    select month_start, {{ dimension }} from spend_by_{{ grain }}
),

grid as (
    select model_name, month_start, {{ dimension }} from credits_by_{{ grain }}
    union
    select enabled.model_name, month_{{ grain }}s.month_start, month_{{ grain }}s.{{ dimension }}
    from {{ enabled_models }} as enabled
    cross join month_{{ grain }}s
),

joined as (
    select
        grid.model_name,
        grid.month_start,
        grid.{{ dimension }},
        {%- if name_column %}
        coalesce(spend_by_{{ grain }}.{{ name_column }}, dimension_names.{{ name_column }}) as {{ name_column }},
        {%- endif %}
        coalesce(credits_by_{{ grain }}.attributed_leads, 0) as attributed_leads,
        coalesce(credits_by_{{ grain }}.attributed_opportunities, 0) as attributed_opportunities,
        coalesce(credits_by_{{ grain }}.attributed_won_deals, 0) as attributed_won_deals,
        coalesce(credits_by_{{ grain }}.attributed_revenue, 0) as attributed_revenue,
        coalesce(credits_by_{{ grain }}.attributed_pipeline, 0) as attributed_pipeline,
        coalesce(influence_by_{{ grain }}.influenced_opportunities, 0) as influenced_opportunities,
        coalesce(influence_by_{{ grain }}.influenced_pipeline, 0) as influenced_pipeline,
        coalesce(spend_by_{{ grain }}.spend, 0) as spend,
        spend_by_{{ grain }}.spend is not null as has_spend
    from grid
    left join credits_by_{{ grain }}
        on grid.model_name = credits_by_{{ grain }}.model_name
        and grid.month_start = credits_by_{{ grain }}.month_start
        and grid.{{ dimension }} = credits_by_{{ grain }}.{{ dimension }}
    left join influence_by_{{ grain }}
        on grid.month_start = influence_by_{{ grain }}.month_start
        and grid.{{ dimension }} = influence_by_{{ grain }}.{{ dimension }}
    left join spend_by_{{ grain }}
        on grid.month_start = spend_by_{{ grain }}.month_start
        and grid.{{ dimension }} = spend_by_{{ grain }}.{{ dimension }}
    {%- if name_column %}
    left join {{ names }} as dimension_names
        on grid.{{ dimension }} = dimension_names.{{ dimension }}
    {%- endif %}
),

final as (
    select
        model_name || ':' || cast(month_start as {{ dbt.type_string() }}) || ':' || {{ dimension }}
            as {{ grain }}_month_id,
        model_name,
        month_start,
        {{ dimension }},
        {%- if name_column %}
        {{ name_column }},
        {%- endif %}
        cast(attributed_leads as double) as attributed_leads,
        cast(attributed_opportunities as double) as attributed_opportunities,
        cast(attributed_won_deals as double) as attributed_won_deals,
        cast(attributed_revenue as double) as attributed_revenue,
        cast(attributed_pipeline as double) as attributed_pipeline,
        cast(influenced_opportunities as bigint) as influenced_opportunities,
        cast(influenced_pipeline as double) as influenced_pipeline,
        cast(spend as double) as spend,
        cast(attributed_revenue / nullif(spend, 0) as double) as roas,
        -- no spend is not zero cost: without spend rows the costs are null, not 0.0; and a
        -- cost per conversion needs at least attribution_cost_min_conversions attributed (a
        -- time-decay or Markov credit of 1e-9 would give a cost no DECIMAL(18,2) holds)
        {%- set min_conversions = 'cast(' ~ var('attribution_cost_min_conversions') ~ ' as double)' %}
        cast(case when has_spend and attributed_leads >= {{ min_conversions }}
            then spend / attributed_leads end as double) as cost_per_attributed_lead,
        cast(case when has_spend and attributed_opportunities >= {{ min_conversions }}
            then spend / attributed_opportunities end as double) as cost_per_attributed_opportunity,
        cast(case when has_spend and attributed_won_deals >= {{ min_conversions }}
            then spend / attributed_won_deals end as double) as cost_per_attributed_won_deal
    from joined
)
{% endmacro %}
