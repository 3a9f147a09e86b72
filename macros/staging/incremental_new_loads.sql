{#-
    Event-grain staging models (incremental): which raw rows a run parses, by LOAD, not by time.

    loads_not_yet_built(): true for a raw row whose load (its file's content hash, `_file_hash`,
    the key of raw.load_manifest) has no row in {{ this }} yet. A run therefore parses exactly
    the files ingested since it last ran, however old their events and however close their load
    times are (no time margin, no clock assumption); a load that failed or was quarantined whole
    has no raw rows and costs nothing.

    A file can be superseded whole by a later re-export (every key it held now comes from the
    later file), so its hash leaves {{ this }} and it counts as "not yet built" again. Its rows
    must not bring the older versions back: latest_versions_only() drops a parsed row when
    {{ this }} already holds the same key from a later load (the ordering of
    deduplicate_latest: load time, then file name, then row number). Such a file is re-read
    at every run; that costs its own size, nothing more.

    loads_not_yet_built() reads {{ this }}: call it only inside `{% if is_incremental() %}`.
    latest_versions_only() can be called anywhere: on a full build it returns every row.
-#}
{% macro loads_not_yet_built(file_hash_column='_file_hash', built_column='source_file_hash') %}
    {{ file_hash_column }} not in (
        select distinct {{ built_column }}
        from {{ this }}
        where {{ built_column }} is not null
    )
{% endmacro %}

{#- rows: a CTE with one row per key (deduplicated) and the staging lineage columns -#}
{% macro latest_versions_only(rows, key_column) -%}
    {%- if not is_incremental() -%}
    select * from {{ rows }}
    {%- else -%}
    select {{ rows }}.*
    from {{ rows }}
    left join {{ this }} as built
        on {{ rows }}.{{ key_column }} = built.{{ key_column }}
    where built.{{ key_column }} is null
        or {{ rows }}.loaded_at > built.loaded_at
        or ({{ rows }}.loaded_at = built.loaded_at
            and {{ rows }}.source_file_name > built.source_file_name)
        or ({{ rows }}.loaded_at = built.loaded_at
            and {{ rows }}.source_file_name = built.source_file_name
            and {{ rows }}.source_row_number >= built.source_row_number)
    {%- endif -%}
{%- endmacro %}
