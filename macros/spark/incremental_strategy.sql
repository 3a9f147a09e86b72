{#-
    Spark's branch of `incremental_strategy()` (macros/incremental_strategy.sql): the tested
    local path is Parquet tables with `delete+insert` emulated by a table rewrite
    (macros/spark/incremental_delete_insert.sql). With Delta (Databricks, or delta-spark jars on
    the cluster) return 'merge' here and set `+file_format: delta` in dbt_project.yml: merge on
    the unique key gives the same rows (keys are unique) and rewrites only the changed files,
    except for the models whose config meta removes rows that have no new row (replaced_keys,
    kept_keys, current_inputs, recomputed_where, recomputed_from: macros/replaced_keys.sql):
    merge would leave those rows behind, so they need delete+insert or a merge that also deletes.
-#}
{% macro spark__incremental_strategy() %}
    {{- return('delete+insert') -}}
{% endmacro %}
