"""The incremental models give the same rows as a full refresh after late events arrive.

A small demo is built; then a landing file with LATE web events is ingested: a page view with
an old timestamp inside an existing session of a visitor who has been quiet for weeks (it
changes the engaged time of the page before it and the numbering after it) and two old page
views of a visitor never seen before. `dbt run` (incremental) on the warehouse must then equal
`dbt run --full-refresh` on a copy of it, table by table. Scoping by event time would miss
these events: they are far older than the latest event minus any lookback.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import duckdb
import pytest

from orchestration import settings
from orchestration.ingestion.contract import WEB_EVENTS, raw_name
from orchestration.ingestion.load import ingest_landing_folder

INCREMENTAL_MODELS = (
    "intermediate.int_page_views_sessionized",
    "intermediate.int_page_views_engaged_time",
    "marts.fct_interactions",
)
# Only the models the three incremental ones need: the comparison is about them.
SELECTION = "+fct_interactions"
QUIET_DAYS = 20  # the late visitor's last event is this much older than the latest event


def _dbt(root: Path, db_path: Path, *args: str) -> None:
    env = os.environ | {"TW_DUCKDB_PATH": str(db_path), "DBT_PROFILES_DIR": str(settings.PROJECT_DIR)}
    dbt = Path(sys.executable).parent / "dbt"
    command = [str(dbt), *args, "--target-path", str(root / "target"), "--log-path", str(root / "logs")]
    result = subprocess.run(command, cwd=settings.PROJECT_DIR, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]


def _late_session_gap(con: duckdb.DuckDBPyConnection) -> tuple:
    """Two consecutive page views, 1 to 10 minutes apart, of a session without heartbeats of a
    visitor quiet for QUIET_DAYS: a late page view between them halves the engaged time of the
    first (next_event method, under the 600 s cap)."""
    return con.execute(f"""
        with latest as (select max(occurred_at) as latest_at from intermediate.int_page_views_sessionized),
        quiet_visitors as (
            select visitor_key
            from intermediate.int_page_views_sessionized
            group by visitor_key
            having max(occurred_at) < (select latest_at from latest) - interval {QUIET_DAYS} day
        ),
        page_views as (
            select
                event_id, visitor_key, session_id, occurred_at,
                lead(occurred_at) over (partition by session_id order by occurred_at, event_id) as next_at
            from intermediate.int_page_views_sessionized
            where event_type = 'page' and visitor_key in (select visitor_key from quiet_visitors)
        ),
        sessions_with_heartbeats as (
            select distinct session_id from intermediate.int_page_views_sessionized where is_heartbeat
        )
        select event_id, visitor_key, occurred_at, next_at
        from page_views
        where next_at between occurred_at + interval 60 second and occurred_at + interval 600 second
            and session_id not in (select session_id from sessions_with_heartbeats)
        order by occurred_at, event_id
        limit 1
    """).fetchone()


def _web_event_row(con: duckdb.DuckDBPyConnection, event_id: str) -> dict:
    """An existing raw web event, keyed by the contract's (export) column names."""
    raw_columns = {column.name: raw_name(column.name) for column in WEB_EVENTS.columns}
    selected = ", ".join(f'"{raw}"' for raw in raw_columns.values())
    values = con.execute(
        f"select {selected} from raw.web_events where message_id = ? order by _loaded_at desc limit 1", [event_id]
    ).fetchone()
    return dict(zip(raw_columns, values, strict=True))


def _write_late_events(con: duckdb.DuckDBPyConnection, landing: Path) -> dict:
    gap = _late_session_gap(con)
    assert gap is not None, "the demo has no quiet visitor with a gap to put a late page view in"
    previous_id, visitor_key, previous_at, next_at = gap
    template = _web_event_row(con, previous_id)
    late_at = previous_at + (next_at - previous_at) / 2
    new_visitor_at = previous_at - timedelta(days=3)
    rows = [
        template | {"messageId": "late-inside-session", "timestamp": late_at},
        template
        | {
            "messageId": "late-new-visitor-1",
            "anonymousId": "anon-late-new",
            "userId": None,
            "traits.email": None,
            "timestamp": new_visitor_at,
        },
        template
        | {
            "messageId": "late-new-visitor-2",
            "anonymousId": "anon-late-new",
            "userId": None,
            "traits.email": None,
            "timestamp": new_visitor_at + timedelta(minutes=2),
        },
    ]
    with (landing / "web_events_late.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=[column.name for column in WEB_EVENTS.columns])
        writer.writeheader()
        for row in rows:
            writer.writerow({name: _csv_value(value) for name, value in row.items()})
    return {"previous_page_view_id": previous_id, "visitor_key": visitor_key}


def _csv_value(value: object) -> object:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat() + "Z"
    return value


def _table_rows(db_path: Path, table: str) -> list[tuple]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return con.execute(f"select * from {table} order by all").fetchall()


def _engaged_seconds(db_path: Path, page_view_id: str) -> float:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return con.execute(
            "select engaged_seconds from intermediate.int_page_views_engaged_time where page_view_event_id = ?",
            [page_view_id],
        ).fetchone()[0]


@pytest.fixture(scope="module")
def warehouses(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("incremental")
    landing = root / "landing"
    incremental_db, full_refresh_db = root / "incremental.duckdb", root / "full_refresh.duckdb"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "orchestration.demo_data",
            "--landing",
            str(landing),
            "--accounts",
            "25",
            "--seed",
            "5",
            "--no-faults",
        ],
        cwd=settings.PROJECT_DIR,
        check=True,
        capture_output=True,
        timeout=300,
    )
    ingest_landing_folder(landing, incremental_db)
    _dbt(root, incremental_db, "build", "--select", SELECTION, "--indirect-selection", "cautious")
    with duckdb.connect(str(incremental_db), read_only=True) as con:
        late = _write_late_events(con, landing)
    engaged_before = _engaged_seconds(incremental_db, late["previous_page_view_id"])
    report = ingest_landing_folder(landing, incremental_db)
    assert not report.has_failures, report.summary()
    shutil.copyfile(incremental_db, full_refresh_db)
    # No safety margin: everything here was loaded seconds apart, and a margin would put all of
    # it back in scope, so the incremental run must find the late rows by their load time alone.
    _dbt(root, incremental_db, "run", "--select", SELECTION, "--vars", "{tp_incremental_lookback_hours: 0}")
    _dbt(root, full_refresh_db, "run", "--full-refresh", "--select", SELECTION)
    return late | {"incremental": incremental_db, "full_refresh": full_refresh_db, "engaged_before": engaged_before}


def test_late_events_change_the_session_they_land_in(warehouses):
    """Guards the scenario itself: the late page view shortens the page view before it."""
    after = _engaged_seconds(warehouses["full_refresh"], warehouses["previous_page_view_id"])
    assert after < warehouses["engaged_before"]


@pytest.mark.parametrize("table", INCREMENTAL_MODELS)
def test_incremental_run_equals_full_refresh(warehouses, table):
    incremental = _table_rows(warehouses["incremental"], table)
    full_refresh = _table_rows(warehouses["full_refresh"], table)
    assert len(incremental) == len(full_refresh)
    assert set(incremental) ^ set(full_refresh) == set()
    assert incremental == full_refresh


def test_late_events_are_in_every_incremental_model(warehouses):
    with duckdb.connect(str(warehouses["incremental"]), read_only=True) as con:
        sessionized = con.execute(
            "select count(*) from intermediate.int_page_views_sessionized where event_id like 'late-%'"
        ).fetchone()[0]
        engaged = con.execute(
            "select count(*) from intermediate.int_page_views_engaged_time where page_view_event_id like 'late-%'"
        ).fetchone()[0]
        interactions = con.execute(
            "select count(*) from marts.fct_interactions where source_record_id like 'late-%'"
        ).fetchone()[0]
    assert (sessionized, engaged, interactions) == (3, 3, 3)
