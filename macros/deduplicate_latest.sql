{#-
    Keep one row per key: the one from the most recently loaded file, then the later file name,
    then the highest row number in the file (a re-export of a key wins over the older export).

    relation:     a ref, source or CTE name holding the lineage columns named below
    key_columns:  list of columns forming the primary key
    order_by:     list of "column desc" terms, newest first; defaults to the staging lineage columns

    Portable on purpose (a window row_number, no QUALIFY). The helper column
    `_dedupe_row_rank` is returned too; the calling model's final select leaves it out.
-#}
{% macro deduplicate_latest(
    relation,
    key_columns,
    order_by=['loaded_at desc', 'source_file_name desc', 'source_row_number desc']
) %}
    select *
    from (
        select
            ranked_input.*,
            row_number() over (
                partition by {{ key_columns | join(', ') }}
                order by {{ order_by | join(', ') }}
            ) as _dedupe_row_rank
        from {{ relation }} as ranked_input
    ) as ranked
    where _dedupe_row_rank = 1
{% endmacro %}
