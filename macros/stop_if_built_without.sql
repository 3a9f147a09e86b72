{#-
    Incremental models whose SQL reads a column of their own stored table ({{ this }}), e.g. the
    load time that is their watermark: a table built by an earlier version without that column
    would fail with a database error. Stop instead, naming the column and the full refresh.
    dbt's on_schema_change (dbt_project.yml: fail) covers every other column, but runs only
    after the model's SQL, which here cannot run.

    Call it at execution time on an incremental run: {% if execute and is_incremental() %}.
-#}
{% macro stop_if_built_without(column_name) %}
    {%- set stored_columns = adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list -%}
    {%- if column_name | lower not in stored_columns -%}
        {{ exceptions.raise_compiler_error(
            this ~ ' was built by a version without the column ' ~ column_name ~ ', which its '
            ~ 'incremental runs read: rebuild it and everything after it once: '
            ~ 'dbt build --full-refresh --select ' ~ model.name ~ '+'
        ) }}
    {%- endif -%}
{% endmacro %}
