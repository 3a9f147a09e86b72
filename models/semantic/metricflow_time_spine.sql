-- One row per day for MetricFlow (metric_time, cumulative and offset metrics), built with dbt's
-- built-in date_spine macro. The range comes from vars semantic_time_spine_start /
-- semantic_time_spine_end (dbt_project.yml).
{{ config(materialized='table') }}

with

days as (

    {{ dbt.date_spine(
        datepart='day',
        start_date="cast('" ~ var('semantic_time_spine_start') ~ "' as date)",
        end_date="cast('" ~ var('semantic_time_spine_end') ~ "' as date)",
    ) }}),

final as (

    select cast(date_day as date) as date_day
    from days

)

select * from final
