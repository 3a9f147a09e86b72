"""The incremental models give the same rows as a full refresh after a later batch arrives.

A small demo is built; then a second batch is ingested:
- LATE web events: a page view with an old timestamp inside an existing session of a visitor
  who has been quiet for weeks (it changes the engaged time of the page before it and the
  numbering after it) and two old page views of a visitor never seen before. Scoping by event
  time would miss them: they are far older than the latest event minus any lookback.
- a RE-EXPORT: an existing web event again, in two later files, with another page path (the
  latest file wins; the earlier re-export is superseded whole) and an existing e-mail event
  again with another timestamp.
- a CHANGED CRM ROW: an existing contact with interactions moves to another account, and
  another one is DELETED (its new export says IsDeleted).
- a LATE page view on a day an account had no engagement, LATE_ACTIVE_DAY_OFFSET days before
  one of its page views: a new active day in that later interaction's frequency window, so
  the change set must recompute interactions days after the late one (and no fewer).
- a CANCELLED meeting: a held meeting (a touchpoint) re-exported as cancelled, so its key must
  leave fct_touchpoints although the run's batch has no row for it.
- a page view MOVED LATER by a re-export, out of the middle of its session to two days after
  its visitor's last event: the session it left changes (the pages after it are numbered one
  less), so the session models must recompute from its old place, not only from its new one.
`dbt run` (incremental), then a second `dbt run` without new files, on the warehouse must then
equal `dbt run --full-refresh` on a copy of it, table by table (the incremental staging tables,
the journey stages and the attribution credits included: the CRM change moves touchpoints and
conversions between accounts, the late and moved events change accounts' histories and paths,
and the "as of" time moves for every account).
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import duckdb
import pytest

from orchestration import settings
from orchestration.ingestion.contract import CRM_CONTACTS, EMAIL_EVENTS, MEETINGS, WEB_EVENTS, Source, raw_name
from orchestration.ingestion.load import ingest_landing_folder

INCREMENTAL_MODELS = (
    "staging.stg_segment__events",
    "staging.stg_email__events",
    "staging.stg_ads__clicks",
    "intermediate.int_identity_evidence",
    "intermediate.int_page_views_sessionized",
    "intermediate.int_heartbeats_assigned",
    "intermediate.int_page_views_engaged_time",
    "intermediate.int_interactions_unioned",
    "intermediate.int_interactions_expected_time",
    "intermediate.int_interactions_attention",
    "intermediate.int_interactions_depth",
    "intermediate.int_interactions_frequency",
    "intermediate.int_interactions_channeled",
    "intermediate.int_interactions_scored",
    "intermediate.int_interactions_visits_linked",
    "marts.fct_interactions",
    "marts.fct_touchpoints",
    "intermediate.int_journey_checkpoints",
    "intermediate.int_journey_scores_decayed",
    "intermediate.int_journey_stages_evaluated",
    "intermediate.int_journey_stages_held",
    "intermediate.int_attribution__journey_touchpoints",
    "intermediate.int_attribution__paths",
    "intermediate.int_attribution__non_converting_paths",
    "intermediate.int_attribution__rule_based_credits",
    "intermediate.int_attribution__time_decay_credits",
    "intermediate.int_attribution__custom_credits",
    "marts.mart_attribution_credits",
)
REEXPORTED_PAGE_PATH = "/re-exported/path"
# Only the models the incremental ones need: the comparison is about them.
SELECTION = "+fct_touchpoints +int_journey_stages_held +mart_attribution_credits"
QUIET_DAYS = 20  # the late visitor's last event is this much older than the latest event
LATE_ACTIVE_DAY_OFFSET = 3  # days; inside var tp_frequency_window_days (14)


def _run_dbt(root: Path, db_path: Path, *args: str) -> subprocess.CompletedProcess:
    """dbt on the warehouse db_path, with its target and logs under root."""
    env = os.environ | {"TW_DUCKDB_PATH": str(db_path), "DBT_PROFILES_DIR": str(settings.PROJECT_DIR)}
    dbt = Path(sys.executable).parent / "dbt"
    command = [str(dbt), *args, "--target-path", str(root / "target"), "--log-path", str(root / "logs")]
    return subprocess.run(command, cwd=settings.PROJECT_DIR, env=env, capture_output=True, text=True, timeout=600)


def _dbt(root: Path, db_path: Path, *args: str) -> None:
    result = _run_dbt(root, db_path, *args)
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


def _raw_row(con: duckdb.DuckDBPyConnection, source: Source, key: str) -> dict:
    """An existing raw row of a source, keyed by the contract's (export) column names."""
    raw_columns = {column.name: raw_name(column.name) for column in source.columns}
    selected = ", ".join(f'"{raw}"' for raw in raw_columns.values())
    key_column = raw_name(source.primary_key[0])
    values = con.execute(
        f'select {selected} from raw.{source.table} where "{key_column}" = ? order by _loaded_at desc limit 1', [key]
    ).fetchone()
    return dict(zip(raw_columns, values, strict=True))


def _web_event_row(con: duckdb.DuckDBPyConnection, event_id: str) -> dict:
    return _raw_row(con, WEB_EVENTS, event_id)


def _write_csv(path: Path, source: Source, rows: list[dict]) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=[column.name for column in source.columns])
        writer.writeheader()
        for row in rows:
            writer.writerow({name: _csv_value(value) for name, value in row.items()})


def _run_after_reexport(warehouses, tmp_path: Path, name: str, row: dict, *models: str):
    """On a copy of the incremental warehouse: re-exports the web event `row` as landing file
    `name`.csv, loads it and runs stg_segment__events and `models`."""
    db_path = tmp_path / f"{name}.duckdb"
    shutil.copyfile(warehouses["incremental"], db_path)
    landing = tmp_path / "landing"
    landing.mkdir()
    _write_csv(landing / f"{name}.csv", WEB_EVENTS, [row])
    report = ingest_landing_folder(landing, db_path)
    assert not report.has_failures, report.summary()
    return _run_dbt(tmp_path, db_path, "run", "--select", "stg_segment__events", *models)


def _write_reexport_and_crm_change(con: duckdb.DuckDBPyConnection, landing: Path, quiet_visitor: str) -> dict:
    """Re-exported web and e-mail events, and a contact (with interactions) moved to another account."""
    page_event_id = con.execute(
        "select event_id from staging.stg_segment__events where event_type = 'page' and anonymous_id <> ? "
        "order by event_id limit 1",
        [quiet_visitor],
    ).fetchone()[0]
    web_row = _raw_row(con, WEB_EVENTS, page_event_id)
    # Two re-exports of the event in one batch: the second (loaded after it) supersedes the first
    # file whole, so that file's hash leaves stg_segment__events and a later run reads it again;
    # it must not bring its older version back (macro latest_versions_only).
    _write_csv(landing / "web_events_reexport_1.csv", WEB_EVENTS, [web_row | {"context.page.path": "/superseded"}])
    reexported_web = web_row | {"context.page.path": REEXPORTED_PAGE_PATH}
    _write_csv(landing / "web_events_reexport_2.csv", WEB_EVENTS, [reexported_web])
    email_event_id = con.execute("select email_event_id from staging.stg_email__events order by 1 limit 1").fetchone()[
        0
    ]
    email_row = _raw_row(con, EMAIL_EVENTS, email_event_id)
    _write_csv(
        landing / "email_events_reexport.csv",
        EMAIL_EVENTS,
        [email_row | {"timestamp": email_row["timestamp"] + timedelta(minutes=1)}],
    )
    contact_id, old_account_id = con.execute(
        "select contact_id, account_id from marts.fct_interactions "
        "where contact_id is not null and account_id <> 'unknown' order by contact_id limit 1"
    ).fetchone()
    new_account_id = con.execute(
        "select account_id from staging.stg_crm__accounts where account_id <> ? order by account_id limit 1",
        [old_account_id],
    ).fetchone()[0]
    contact_row = _raw_row(con, CRM_CONTACTS, contact_id) | {"AccountId": new_account_id}
    deleted_contact_id = con.execute(
        "select contact_id from staging.stg_crm__contacts "
        "where contact_id in (select contact_id from marts.fct_interactions) and contact_id <> ? "
        "order by contact_id desc limit 1",
        [contact_id],
    ).fetchone()[0]
    deleted_row = _raw_row(con, CRM_CONTACTS, deleted_contact_id) | {"IsDeleted": True}
    _write_csv(landing / "crm_contacts_changed.csv", CRM_CONTACTS, [contact_row, deleted_row])
    return {
        "reexported_event_id": page_event_id,
        "reexported_email_event_id": email_event_id,
        "moved_contact_id": contact_id,
        "deleted_contact_id": deleted_contact_id,
        "new_account_id": new_account_id,
    }


def _write_cancelled_meeting(con: duckdb.DuckDBPyConnection, landing: Path) -> dict:
    """A held meeting, a touchpoint, re-exported as cancelled: it must leave fct_touchpoints
    (its interaction stays in fct_interactions, no longer a touchpoint)."""
    interaction_id, meeting_id = con.execute(
        "select facts.interaction_id, facts.source_record_id "
        "from marts.fct_touchpoints as touchpoints "
        "inner join marts.fct_interactions as facts on touchpoints.touchpoint_id = facts.interaction_id "
        "where facts.source_system = 'meetings' and facts.reason = 'meeting' order by 1 limit 1"
    ).fetchone()
    meeting_row = _raw_row(con, MEETINGS, meeting_id) | {"status": "cancelled"}
    _write_csv(landing / "meetings_cancelled.csv", MEETINGS, [meeting_row])
    return {"cancelled_meeting_interaction_id": interaction_id}


def _write_page_view_moved_later(con: duckdb.DuckDBPyConnection, landing: Path, other_visitors: list[str]) -> dict:
    """A page view between two others of its session, re-exported two days after its visitor's
    last event (a visitor no other scenario touches)."""
    moved_id, next_page_id, next_page_number, visitor_last_at = con.execute(
        """
        with pages as (
            select
                event_id, visitor_key, session_id, occurred_at, page_view_number,
                lead(event_id) over (partition by session_id order by occurred_at, event_id) as next_page_id,
                lead(page_view_number) over (partition by session_id order by occurred_at, event_id)
                    as next_page_number
            from intermediate.int_page_views_sessionized
            where event_type = 'page'
        ),
        visitors as (
            select visitor_key, max(occurred_at) as last_at
            from intermediate.int_page_views_sessionized
            group by visitor_key
        )
        select pages.event_id, pages.next_page_id, pages.next_page_number, visitors.last_at
        from pages
        inner join visitors on pages.visitor_key = visitors.visitor_key
        where pages.page_view_number > 1 and pages.next_page_id is not null
            and pages.visitor_key not in (select unnest(?))
        order by pages.event_id
        limit 1
        """,
        [other_visitors],
    ).fetchone()
    moved = _web_event_row(con, moved_id) | {"timestamp": visitor_last_at + timedelta(days=2)}
    _write_csv(landing / "web_events_moved_later.csv", WEB_EVENTS, [moved])
    return {
        "moved_event_id": moved_id,
        "page_after_moved_id": next_page_id,
        "page_after_moved_number": next_page_number,
    }


def _visitor_of(con: duckdb.DuckDBPyConnection, event_id: str) -> str:
    return con.execute(
        "select visitor_key from intermediate.int_page_views_sessionized where event_id = ?", [event_id]
    ).fetchone()[0]


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
    _write_csv(landing / "web_events_late.csv", WEB_EVENTS, rows)
    return {"previous_page_view_id": previous_id, "visitor_key": visitor_key}


def _write_late_active_day(con: duckdb.DuckDBPyConnection, landing: Path) -> dict:
    """A late copy of a page view that carries its visitor's e-mail (so it resolves to the same
    account), LATE_ACTIVE_DAY_OFFSET days earlier, on a day that account had no engagement."""
    interaction_id, event_id, active_days = con.execute(
        f"""
        with active_days as (
            select distinct engagement_entity_id, cast(occurred_at as date) as active_on
            from marts.fct_interactions
            where engagement_depth > 0
        )
        select facts.interaction_id, facts.source_record_id, facts.active_days_in_window
        from marts.fct_interactions as facts
        inner join intermediate.int_interactions_unioned as unioned
            on facts.interaction_id = unioned.interaction_id
        where facts.interaction_type = 'page_view'
            and facts.account_id <> 'unknown'
            and unioned.contact_match_method = 'email'
            and not exists (
                select 1 from active_days
                where active_days.engagement_entity_id = facts.engagement_entity_id
                    and active_days.active_on
                        = cast(cast(facts.occurred_at as date) - interval {LATE_ACTIVE_DAY_OFFSET} day as date)
            )
        order by facts.interaction_id
        limit 1
        """
    ).fetchone()
    template = _web_event_row(con, event_id)
    late_row = template | {
        "messageId": "late-new-active-day",
        "timestamp": template["timestamp"] - timedelta(days=LATE_ACTIVE_DAY_OFFSET),
    }
    _write_csv(landing / "web_events_late_active_day.csv", WEB_EVENTS, [late_row])
    return {"later_interaction_id": interaction_id, "later_active_days_before": active_days}


def _csv_value(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
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
        late |= _write_reexport_and_crm_change(con, landing, late["visitor_key"])
        late |= _write_late_active_day(con, landing)
        late |= _write_cancelled_meeting(con, landing)
        touched = [late["visitor_key"], _visitor_of(con, late["reexported_event_id"])]
        late |= _write_page_view_moved_later(con, landing, touched)
    engaged_before = _engaged_seconds(incremental_db, late["previous_page_view_id"])
    report = ingest_landing_folder(landing, incremental_db)
    assert not report.has_failures, report.summary()
    shutil.copyfile(incremental_db, full_refresh_db)
    # No safety margin: everything here was loaded seconds apart, and a margin would put all of
    # it back in scope, so the incremental run must find the late rows by their load time alone.
    _dbt(root, incremental_db, "run", "--select", SELECTION, "--vars", "{tp_incremental_lookback_hours: 0}")
    with duckdb.connect(str(incremental_db), read_only=True) as con:
        recomputed = con.execute("select count(*) from intermediate.int_interactions_changed").fetchone()[0]
        interactions = con.execute("select count(*) from marts.fct_interactions").fetchone()[0]
    # A day without new files: nothing may change (the superseded re-export is read again).
    _dbt(root, incremental_db, "run", "--select", SELECTION)
    _dbt(root, full_refresh_db, "run", "--full-refresh", "--select", SELECTION)
    return late | {
        "incremental": incremental_db,
        "full_refresh": full_refresh_db,
        "engaged_before": engaged_before,
        "recomputed_by_the_second_batch": recomputed,
        "interactions": interactions,
    }


def test_late_events_change_the_session_they_land_in(warehouses):
    """Guards the scenario itself: the late page view shortens the page view before it."""
    after = _engaged_seconds(warehouses["full_refresh"], warehouses["previous_page_view_id"])
    assert after < warehouses["engaged_before"]


def test_late_active_day_counts_in_the_later_interactions_window(warehouses):
    """Guards the scenario itself: the late page view adds one active day to the frequency
    window of its account's interaction LATE_ACTIVE_DAY_OFFSET days later."""
    with duckdb.connect(str(warehouses["full_refresh"]), read_only=True) as con:
        after = con.execute(
            "select active_days_in_window from marts.fct_interactions where interaction_id = ?",
            [warehouses["later_interaction_id"]],
        ).fetchone()[0]
    assert after == warehouses["later_active_days_before"] + 1


def test_a_page_view_moved_later_leaves_its_session(warehouses):
    """Guards the scenario itself: after the move, the page view that followed it in its old
    session is numbered one less, and the moved one starts a session of its own."""
    with duckdb.connect(str(warehouses["full_refresh"]), read_only=True) as con:
        number = con.execute(
            "select page_view_number from intermediate.int_page_views_sessionized where event_id = ?",
            [warehouses["page_after_moved_id"]],
        ).fetchone()[0]
        moved_session = con.execute(
            "select session_id from intermediate.int_page_views_sessionized where event_id = ?",
            [warehouses["moved_event_id"]],
        ).fetchone()[0]
    assert (number, moved_session) == (warehouses["page_after_moved_number"] - 1, warehouses["moved_event_id"])


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
    assert (sessionized, engaged, interactions) == (4, 4, 4)


def test_the_second_batch_recomputes_only_part_of_the_interactions(warehouses):
    """The change set holds the interactions the batch touched (and their entities' ones in the
    frequency window after them), not every interaction: the feature chain is scoped."""
    assert 0 < warehouses["recomputed_by_the_second_batch"] < warehouses["interactions"]


def test_a_run_without_new_files_recomputes_no_interaction(warehouses):
    """The last incremental run found no new files: the feature chain's change set is empty (it
    held the late events, the re-export and the CRM changes one run before)."""
    with duckdb.connect(str(warehouses["incremental"]), read_only=True) as con:
        changed = con.execute("select count(*) from intermediate.int_interactions_changed").fetchone()[0]
        interactions = con.execute("select count(*) from marts.fct_interactions").fetchone()[0]
    assert (changed, interactions > 0) == (0, True)


def test_reexported_rows_replace_the_older_export(warehouses):
    with duckdb.connect(str(warehouses["incremental"]), read_only=True) as con:
        page_path = con.execute(
            "select page_path from staging.stg_segment__events where event_id = ?", [warehouses["reexported_event_id"]]
        ).fetchall()
        email_files = con.execute(
            "select source_file_name from staging.stg_email__events where email_event_id = ?",
            [warehouses["reexported_email_event_id"]],
        ).fetchall()
    assert page_path == [(REEXPORTED_PAGE_PATH,)]
    assert email_files == [("email_events_reexport.csv",)]


def test_changed_crm_row_moves_the_contacts_interactions(warehouses):
    with duckdb.connect(str(warehouses["incremental"]), read_only=True) as con:
        accounts = con.execute(
            "select distinct account_id from marts.fct_interactions where contact_id = ?",
            [warehouses["moved_contact_id"]],
        ).fetchall()
    assert accounts == [(warehouses["new_account_id"],)]


def test_deleted_crm_contact_leaves_its_interactions(warehouses):
    with duckdb.connect(str(warehouses["incremental"]), read_only=True) as con:
        left = con.execute(
            "select count(*) from marts.fct_interactions where contact_id = ?", [warehouses["deleted_contact_id"]]
        ).fetchone()[0]
    assert left == 0


def test_a_cancelled_meeting_leaves_fct_touchpoints(warehouses):
    interaction_id = warehouses["cancelled_meeting_interaction_id"]
    with duckdb.connect(str(warehouses["incremental"]), read_only=True) as con:
        is_touchpoint = con.execute(
            "select is_touchpoint from marts.fct_interactions where interaction_id = ?", [interaction_id]
        ).fetchone()
        touchpoints = con.execute(
            "select count(*) from marts.fct_touchpoints where touchpoint_id = ?", [interaction_id]
        ).fetchone()[0]
    assert is_touchpoint == (False,)
    assert touchpoints == 0


def test_without_new_files_int_interactions_unioned_writes_nothing(warehouses, tmp_path):
    """int_interactions_unioned is incremental: on the warehouse after the run without new files,
    the rows its next run would write (new rows and stored rows whose identity moved; `dbt show`
    runs the incremental query) are none, while the table holds every interaction."""
    show = ("--quiet", "show", "--select", "int_interactions_unioned", "--limit", "5", "--output", "json")
    result = _run_dbt(tmp_path, warehouses["incremental"], *show)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert json.loads(result.stdout)["show"] == []
    with duckdb.connect(str(warehouses["incremental"]), read_only=True) as con:
        stored = con.execute("select count(*) from intermediate.int_interactions_unioned").fetchone()[0]
    assert stored == warehouses["interactions"]


def test_segment_interaction_reexported_as_a_heartbeat_stops_the_run(warehouses, tmp_path):
    """delete+insert cannot remove a stored interaction that has no new row: a page view
    re-exported as a heartbeat stops the incremental run, naming the event, its file and row,
    and the full refresh to run, instead of leaving it in the tables built from it."""
    with duckdb.connect(str(warehouses["incremental"]), read_only=True) as con:
        event_id = con.execute(
            "select source_record_id from intermediate.int_interactions_unioned "
            "where interaction_type = 'page_view' order by source_record_id limit 1"
        ).fetchone()[0]
        heartbeat = _web_event_row(con, event_id) | {"type": "track", "event": "Page Heartbeat"}
    result = _run_after_reexport(
        warehouses, tmp_path, "web_events_reexport_heartbeat", heartbeat, "int_interactions_unioned"
    )
    assert result.returncode != 0
    named = f'segment:{event_id} is now track "Page Heartbeat" (web_events_reexport_heartbeat.csv, row 1)'
    assert named in result.stdout
    assert "dbt build --full-refresh --select stg_segment__events+" in result.stdout


def test_a_web_event_reexported_for_another_visitor_stops_the_run(warehouses, tmp_path):
    """The session models recompute the visitor an event has now: an event re-exported with
    another anonymousId stops the run, naming the event, both visitors, its file and row, and
    the full refresh, instead of leaving the old visitor's sessions as they were."""
    with duckdb.connect(str(warehouses["incremental"]), read_only=True) as con:
        event_id, visitor_key = con.execute(
            "select event_id, visitor_key from intermediate.int_page_views_sessionized "
            "where visitor_key not like 'user:%' order by event_id limit 1"
        ).fetchone()
        moved = _web_event_row(con, event_id) | {"anonymousId": "anon-other-visitor"}
    result = _run_after_reexport(
        warehouses, tmp_path, "web_events_reexport_visitor", moved, "int_page_views_sessionized"
    )
    assert result.returncode != 0
    named = f"segment:{event_id} moved from visitor {visitor_key} to anon-other-visitor"
    named += " (web_events_reexport_visitor.csv, row 1)"
    assert named in result.stdout
    assert "dbt build --full-refresh --select int_page_views_sessionized+" in result.stdout


def test_identity_evidence_reexported_naming_nobody_stops_the_run(warehouses, tmp_path):
    """delete+insert cannot remove stored identity evidence that has no new row: an identify call
    re-exported without its e-mail and userId stops the run, naming the signal, its file and
    row, and the full refresh, instead of stitching its visitor on evidence that is gone."""
    with duckdb.connect(str(warehouses["incremental"]), read_only=True) as con:
        signal_id = con.execute(
            "select signal_id from intermediate.int_identity_evidence "
            "where identified_by = 'identify' and signal_id not like '%late%' order by signal_id limit 1"
        ).fetchone()[0]
        anonymous = _web_event_row(con, signal_id.removeprefix("identify:")) | {"userId": None, "traits.email": None}
    result = _run_after_reexport(
        warehouses, tmp_path, "web_events_reexport_anonymous", anonymous, "int_identity_evidence"
    )
    assert result.returncode != 0
    assert f"{signal_id} (web_events_reexport_anonymous.csv, row 1)" in result.stdout
    assert "dbt build --full-refresh --select int_identity_evidence+" in result.stdout


def test_a_later_identify_call_stitches_a_visitors_earlier_events(warehouses, tmp_path):
    """Only the new rows are read for evidence, yet an identify call loaded days after a
    visitor's anonymous page views gives those page views the contact (and its account)."""
    with duckdb.connect(str(warehouses["incremental"]), read_only=True) as con:
        email, contact_id = con.execute(
            "select email, contact_id from intermediate.int_contacts_resolved "
            "where account_id is not null order by email limit 1"
        ).fetchone()
        identify = _web_event_row(con, "late-new-visitor-2") | {
            "messageId": "late-new-visitor-identify",
            "type": "identify",
            "traits.email": email,
        }
    identify["timestamp"] += timedelta(days=30)
    result = _run_after_reexport(
        warehouses,
        tmp_path,
        "web_events_identify",
        identify,
        "int_identity_evidence",
        "int_identity_signals",
        "int_visitors_stitched",
        "int_interactions_unioned",
    )
    assert result.returncode == 0, result.stdout
    with duckdb.connect(str(tmp_path / "web_events_identify.duckdb"), read_only=True) as con:
        evidence = con.execute(
            "select count(*) from intermediate.int_identity_evidence where loaded_at = "
            "(select max(loaded_at) from intermediate.int_identity_evidence)"
        ).fetchone()[0]
        contacts = con.execute(
            "select distinct contact_id from intermediate.int_interactions_unioned "
            "where source_record_id like 'late-new-visitor-%'"
        ).fetchall()
    assert evidence == 1
    assert contacts == [(contact_id,)]


def test_a_table_of_an_older_version_stops_the_run_with_the_full_refresh(warehouses, tmp_path):
    """Upgrades: a stored table without a column the new version writes stops the incremental
    run, naming what to rebuild, instead of a database error (the union's own watermark column,
    staging's earliest_occurred_at and a compare-and-keep model's input_fingerprint, macro
    stop_if_built_without) or rows written without that column (any other incremental model:
    on_schema_change fail)."""
    db_path = tmp_path / "older_version.duckdb"
    shutil.copyfile(warehouses["incremental"], db_path)
    with duckdb.connect(str(db_path)) as con:
        con.execute("alter table intermediate.int_interactions_unioned drop column loaded_at")
        con.execute("alter table intermediate.int_interactions_depth drop column engagement_depth")
        con.execute("alter table staging.stg_segment__events drop column earliest_occurred_at")
        con.execute("alter table intermediate.int_attribution__paths drop column input_fingerprint")
    staging = _run_dbt(tmp_path, db_path, "run", "--select", "stg_segment__events")
    assert staging.returncode != 0
    assert "without the column earliest_occurred_at" in staging.stdout
    assert "dbt build --full-refresh --select stg_segment__events+" in staging.stdout
    union = _run_dbt(tmp_path, db_path, "run", "--select", "int_interactions_unioned")
    assert union.returncode != 0
    assert "without the column loaded_at" in union.stdout
    assert "dbt build --full-refresh --select int_interactions_unioned+" in union.stdout
    depth = _run_dbt(tmp_path, db_path, "run", "--select", "int_interactions_depth")
    assert depth.returncode != 0
    assert "out of sync" in depth.stdout and "engagement_depth" in depth.stdout
    paths = _run_dbt(tmp_path, db_path, "run", "--select", "int_attribution__paths")
    assert paths.returncode != 0
    assert "without the column input_fingerprint" in paths.stdout
    assert "dbt build --full-refresh --select int_attribution__paths+" in paths.stdout


def test_changed_var_stops_an_incremental_run_with_the_full_refresh_it_needs(warehouses, tmp_path):
    changed_var = ("run", "--select", "stg_ads__clicks", "--vars", "{tp_bounce_seconds: 99}")
    result = _run_dbt(tmp_path, warehouses["incremental"], *changed_var)
    assert result.returncode != 0
    assert "var:tp_bounce_seconds" in result.stdout
    assert "dbt build --full-refresh --select" in result.stdout and "fct_interactions+" in result.stdout


def test_journey_stages_keep_the_stored_history_of_accounts_without_changes(warehouses, tmp_path):
    """int_journey_stages_held copies an account's stored rows when they match this run's
    evaluated rows (nothing changed), and computes an account whole when one of its stored
    inputs differs. Marked in a column the run does not compare (stage), every unchanged
    account's rows come back marked; the account whose stored hold_stage_order was altered
    comes back recomputed, equal to the full refresh; an account without evaluated rows any
    more (as after a CRM deletion) leaves the table."""
    db_path = tmp_path / "journeys.duckdb"
    shutil.copyfile(warehouses["incremental"], db_path)
    with duckdb.connect(str(db_path)) as con:
        accounts = con.execute(
            "select count(distinct account_id) from intermediate.int_journey_stages_held"
        ).fetchone()[0]
        altered = con.execute("select min(account_id) from intermediate.int_journey_stages_held").fetchone()[0]
        con.execute("update intermediate.int_journey_stages_held set stage = 'stored'")
        con.execute(
            "update intermediate.int_journey_stages_held set hold_stage_order = hold_stage_order + 1 "
            "where account_id = ? and evaluated_at = "
            "(select min(evaluated_at) from intermediate.int_journey_stages_held where account_id = ?)",
            [altered, altered],
        )
        con.execute(
            "insert into intermediate.int_journey_stages_held "
            "select * replace ('account-gone' as account_id) from intermediate.int_journey_stages_held "
            "where account_id = ?",
            [altered],
        )
    _dbt(tmp_path, db_path, "run", "--select", "int_journey_stages_held")
    with duckdb.connect(str(db_path), read_only=True) as con:
        gone = con.execute(
            "select count(*) from intermediate.int_journey_stages_held where account_id = 'account-gone'"
        ).fetchone()[0]
        marked = con.execute(
            "select count(distinct account_id), count(*) filter (where account_id = ?) "
            "from intermediate.int_journey_stages_held where stage = 'stored'",
            [altered],
        ).fetchone()
        rows = con.execute(
            "select * from intermediate.int_journey_stages_held where account_id = ? order by all", [altered]
        ).fetchall()
    with duckdb.connect(str(warehouses["full_refresh"]), read_only=True) as con:
        expected = con.execute(
            "select * from intermediate.int_journey_stages_held where account_id = ? order by all", [altered]
        ).fetchall()
    assert accounts > 10
    assert marked == (accounts - 1, 0)
    assert rows == expected
    assert gone == 0


def _attribution_rows(db_path: Path, conversion_id: str) -> list[tuple]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return con.execute(
            "select * from marts.mart_attribution_credits where conversion_id = ? order by all", [conversion_id]
        ).fetchall()


def test_attribution_credits_keep_the_rows_of_conversions_with_unchanged_inputs(warehouses, tmp_path):
    """mart_attribution_credits keeps the touchpoint-level rows of a conversion whose stored
    input_fingerprint is current, recomputes one whose stored fingerprint differs (equal to the
    full refresh), drops a conversion that is gone, and recomputes every data-driven row: a
    Markov row of a channel the chain no longer has (an unchanged conversion, current
    fingerprint) leaves. Marked in a column the run does not compare (campaign_id)."""
    db_path = tmp_path / "attribution.duckdb"
    shutil.copyfile(warehouses["incremental"], db_path)
    credits = "marts.mart_attribution_credits"
    with duckdb.connect(str(db_path)) as con:
        conversions = con.execute(
            f"select count(distinct conversion_id) from {credits} where model_family <> 'data_driven'"
        ).fetchone()[0]
        altered = con.execute(f"select min(conversion_id) from {credits} where touchpoint_id is not null").fetchone()[0]
        con.execute(f"update {credits} set campaign_id = 'stored'")
        con.execute(
            f"update {credits} set input_fingerprint = input_fingerprint + 1 where conversion_id = ?", [altered]
        )
        con.execute(
            f"insert into {credits} select * replace ('gone:' || credit_id as credit_id, 'gone' as conversion_id) "
            f"from {credits} where conversion_id = ?",
            [altered],
        )
        kept_conversion = con.execute(
            f"select max(conversion_id) from {credits} where model_name = 'markov' and conversion_id <> ?", [altered]
        ).fetchone()[0]
        con.execute(
            f"insert into {credits} select * replace ("
            "model_name || ':' || conversion_id || ':channel:channel-gone' as credit_id, 'channel-gone' as channel) "
            f"from {credits} where model_name = 'markov' and conversion_id = ? limit 1",
            [kept_conversion],
        )
    _dbt(tmp_path, db_path, "run", "--select", "mart_attribution_credits")
    with duckdb.connect(str(db_path), read_only=True) as con:
        kept = con.execute(
            f"select count(distinct conversion_id), count(*) filter (where model_family = 'data_driven') "
            f"from {credits} where campaign_id = 'stored'"
        ).fetchone()
        gone = con.execute(
            f"select count(*) from {credits} where conversion_id = 'gone' or channel = 'channel-gone'"
        ).fetchone()[0]
        data_driven = con.execute(f"select count(*) from {credits} where model_family = 'data_driven'").fetchone()[0]
    assert conversions > 10 and data_driven > 0
    assert kept == (conversions - 1, 0)
    assert _attribution_rows(db_path, altered) == _attribution_rows(warehouses["full_refresh"], altered)
    assert gone == 0


def test_changed_attribution_settings_recompute_every_conversion_without_a_full_refresh(warehouses, tmp_path):
    """Tuned attribution vars (one of them shaping the paths) and an edited seed
    attribution_custom_weights change every account's and conversion's fingerprint: the next
    incremental run recomputes the path and credit chains and equals a full refresh with the
    same settings (no run stops asking for one)."""
    settings_vars = (
        "{attribution_time_decay_half_life_days: 3, attribution_j_shaped_weights: {first: 0.1, last: 0.7, rest: 0.2},"
        " attribution_path_transform: collapse_repeats}"
    )
    copies = {}
    for name in ("incremental", "full_refresh"):
        copies[name] = tmp_path / f"{name}.duckdb"
        shutil.copyfile(warehouses[name], copies[name])
        with duckdb.connect(str(copies[name])) as con:
            con.execute("update seeds.attribution_custom_weights set weight = weight + 1 where dimension = 'position'")
    selection = ("--select", "int_attribution__account_inputs+,+mart_attribution_credits", "--vars", settings_vars)
    _dbt(tmp_path, copies["incremental"], "run", *selection)
    _dbt(tmp_path, copies["full_refresh"], "run", "--full-refresh", *selection)
    for table in INCREMENTAL_MODELS[-7:]:
        assert _table_rows(copies["incremental"], table) == _table_rows(copies["full_refresh"], table), table
    for table in ("marts.mart_attribution_credits", "intermediate.int_attribution__paths"):
        assert _table_rows(copies["incremental"], table) != _table_rows(warehouses["full_refresh"], table), table


def test_attribution_paths_keep_the_rows_of_accounts_with_unchanged_inputs(warehouses, tmp_path):
    """int_attribution__journey_touchpoints keeps the rows of an account whose stored
    input_fingerprint is current, recomputes one whose stored fingerprint differs (equal to the
    full refresh) and drops an account that has no journey any more. Marked in a column the run
    does not compare (campaign_id)."""
    db_path = tmp_path / "paths.duckdb"
    shutil.copyfile(warehouses["incremental"], db_path)
    touches = "intermediate.int_attribution__journey_touchpoints"
    with duckdb.connect(str(db_path)) as con:
        accounts = con.execute(f"select count(distinct account_id) from {touches}").fetchone()[0]
        altered = con.execute(f"select min(account_id) from {touches}").fetchone()[0]
        con.execute(f"update {touches} set campaign_id = 'stored'")
        con.execute(f"update {touches} set input_fingerprint = input_fingerprint + 1 where account_id = ?", [altered])
        con.execute(
            f"insert into {touches} select * replace ('gone:' || journey_id as journey_id, 'gone' as account_id) "
            f"from {touches} where account_id = ?",
            [altered],
        )
    _dbt(tmp_path, db_path, "run", "--select", "int_attribution__journey_touchpoints")
    query = f"select * from {touches} where account_id = ? order by all"
    with duckdb.connect(str(db_path), read_only=True) as con:
        kept = con.execute(f"select count(distinct account_id) from {touches} where campaign_id = 'stored'").fetchone()
        gone = con.execute(f"select count(*) from {touches} where account_id = 'gone'").fetchone()[0]
        recomputed = con.execute(query, [altered]).fetchall()
    with duckdb.connect(str(warehouses["full_refresh"]), read_only=True) as con:
        full_refresh = con.execute(query, [altered]).fetchall()
    assert accounts > 5
    assert kept == (accounts - 1,)
    assert recomputed == full_refresh and recomputed
    assert gone == 0


def test_journey_scores_keep_the_rows_of_accounts_with_unchanged_inputs(warehouses, tmp_path):
    """int_journey_scores_decayed keeps an account's rows before the previous "as of" while its
    stored input_fingerprint is current, and recomputes the rest: the "as of" rows of every
    account, and every row of an account whose stored fingerprint differs (equal to the full
    refresh). Marked in a column the run does not compare (decayed_points)."""
    db_path = tmp_path / "scores.duckdb"
    shutil.copyfile(warehouses["incremental"], db_path)
    scores = "intermediate.int_journey_scores_decayed"
    with duckdb.connect(str(db_path)) as con:
        as_of = con.execute("select as_of_at from intermediate.int_journey_as_of").fetchone()[0]
        accounts, before = con.execute(
            f"select count(distinct account_id), count(*) filter (where evaluated_at < ?) from {scores}", [as_of]
        ).fetchone()
        altered = con.execute(f"select min(account_id) from {scores} where evaluated_at < ?", [as_of]).fetchone()[0]
        altered_before = con.execute(
            f"select count(*) from {scores} where account_id = ? and evaluated_at < ?", [altered, as_of]
        ).fetchone()[0]
        con.execute(f"update {scores} set decayed_points = -1")
        con.execute(f"update {scores} set input_fingerprint = input_fingerprint + 1 where account_id = ?", [altered])
    _dbt(tmp_path, db_path, "run", "--select", "int_journey_scores_decayed")
    with duckdb.connect(str(db_path), read_only=True) as con:
        marked = con.execute(
            f"select count(*), count(*) filter (where evaluated_at >= ?), count(*) filter (where account_id = ?) "
            f"from {scores} where decayed_points = -1",
            [as_of, altered],
        ).fetchone()
        rows = con.execute(f"select * from {scores} where account_id = ? order by all", [altered]).fetchall()
    with duckdb.connect(str(warehouses["full_refresh"]), read_only=True) as con:
        expected = con.execute(f"select * from {scores} where account_id = ? order by all", [altered]).fetchall()
    assert accounts > 10 and altered_before > 0
    assert marked == (before - altered_before, 0, 0)
    assert rows == expected


@pytest.mark.parametrize("days", [-10, 5])
def test_a_moved_as_of_recomputes_the_journey_chain_from_there(warehouses, tmp_path, days):
    """The "as of" moved back (rows after it must leave) or forward (the previous "as of" row of
    an account is no longer a checkpoint and must leave; new calendar checkpoints appear): the
    incremental journey chain equals its full refresh with the same "as of"."""
    with duckdb.connect(str(warehouses["incremental"]), read_only=True) as con:
        as_of = con.execute("select as_of_at from intermediate.int_journey_as_of").fetchone()[0]
    moved = (as_of + timedelta(days=days)).isoformat(sep=" ")
    copies = {}
    for name in ("incremental", "full_refresh"):
        copies[name] = tmp_path / f"{name}.duckdb"
        shutil.copyfile(warehouses[name], copies[name])
    selection = (
        "--select",
        "int_journey_as_of+,+int_journey_stages_held",
        "--vars",
        f"{{journey_as_of_at: '{moved}'}}",
    )
    _dbt(tmp_path, copies["incremental"], "run", *selection)
    _dbt(tmp_path, copies["full_refresh"], "run", "--full-refresh", *selection)
    for table in INCREMENTAL_MODELS:
        if ".int_journey_" in table:
            assert _table_rows(copies["incremental"], table) == _table_rows(copies["full_refresh"], table), table
    with duckdb.connect(str(copies["incremental"]), read_only=True) as con:
        latest = con.execute("select max(evaluated_at) from intermediate.int_journey_checkpoints").fetchone()[0]
    assert latest.isoformat(sep=" ") == moved
