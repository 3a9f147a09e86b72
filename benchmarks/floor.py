"""The floor: the heaviest step of the build done plainly, in one DuckDB SQL pass.

    python -m benchmarks.floor WAREHOUSE.duckdb

Sessionizes the raw web events (30-minute inactivity), counts the heartbeats of each page
view, joins the content catalog on the path and materializes the result (a temporary table
in memory; the warehouse is attached read-only). No parsing beyond that, no tests, no dbt:
what a hand-written pipeline would at least have to do. benchmarks/run.py measures it as a
child process and compares the full dbt build with it.
"""

from __future__ import annotations

import sys

import duckdb

FLOOR_SQL = """
create temp table page_views_floor as
with events as (
    select
        message_id as event_id,
        coalesce(anonymous_id, 'user:' || user_id) as visitor_key,
        type as event_type,
        event as event_name,
        cast("timestamp" as timestamp) as occurred_at,
        lower(coalesce(context_page_path, '/')) as page_path
    from warehouse.raw.web_events
    where type in ('page', 'track')
),
flagged as (
    select *,
        case when occurred_at - lag(occurred_at) over (partition by visitor_key order by occurred_at, event_id)
             <= interval 30 minute then 0 else 1 end as is_session_start
    from events
),
numbered as (
    select *,
        sum(is_session_start) over (partition by visitor_key order by occurred_at, event_id) as session_number,
        sum(case when event_type = 'page' then 1 else 0 end)
            over (partition by visitor_key order by occurred_at, event_id) as page_view_number
    from flagged
),
page_views as (
    select
        visitor_key, session_number, page_view_number,
        max(case when event_type = 'page' then page_path end) as page_path,
        min(occurred_at) as page_viewed_at,
        count(*) filter (where event_name = 'Page Heartbeat') as heartbeats
    from numbered
    group by visitor_key, session_number, page_view_number
)
select page_views.*, catalog.content_id, 15 + greatest(heartbeats - 1, 0) * 15 as engaged_seconds
from page_views
left join warehouse.raw.content_catalog as catalog on page_views.page_path = lower(catalog.url_path)
"""


def main(database: str) -> None:
    with duckdb.connect() as con:
        con.execute(f"attach '{database}' as warehouse (read_only)")
        con.execute(FLOOR_SQL)
        rows = con.execute("select count(*) from page_views_floor").fetchone()[0]
    print(f"floor: {rows:,} page views")


if __name__ == "__main__":
    main(sys.argv[1])
