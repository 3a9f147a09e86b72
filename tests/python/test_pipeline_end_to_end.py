"""The main job end to end on a small generated set: ingestion, dbt build (every model, seed and
data test), publish; then a second run that must load nothing again. The job leaves dbt's unit
tests out (they check SQL logic, not data); they run here, against the built warehouse. The
runs are the session fixture `pipeline` (conftest.py), shared with the dashboard and semantic
layer tests."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from datetime import UTC
from pathlib import Path

import duckdb
import pytest

from orchestration import settings
from orchestration.erase import mention_pattern
from orchestration.ingestion.contract import SOURCES
from orchestration.published import PUBLISHED_RELATIONS
from orchestration.publishing import publish, published_files


def test_summary_is_printed(pipeline):
    out = pipeline["first"].stdout
    assert "run summary" in out and "models built" in out and "tests passed" in out
    assert "models built: 0" not in out and "tests passed: 0" not in out
    assert "tests failed: 0" in out and "models failed: 0" in out
    assert "Rows per source" in out and "Quarantined rows by reason" in out
    assert "Share of interactions kept as touchpoints" in out
    assert "Accounts per journey stage" in out and "Ready to Buy" in out
    assert "Top channels by attributed pipeline under three models" in out


def test_every_raw_row_is_loaded_or_quarantined(pipeline):
    con = pipeline["con"]
    bad = con.execute(
        "select file_name from raw.load_manifest where rows_read <> rows_loaded + rows_quarantined"
    ).fetchall()
    assert bad == []
    for name in SOURCES:
        mismatched = con.execute(f"""
            select m.file_name
            from raw.load_manifest as m
            left join (select _file_hash, count(*) as n from raw.{name} group by 1) as r
                on r._file_hash = m.file_hash
            left join (select file_hash, count(*) as n from raw.quarantine group by 1) as q
                on q.file_hash = m.file_hash
            where m.source_name = '{name}'
              and (coalesce(r.n, 0) <> m.rows_loaded or coalesce(q.n, 0) <> m.rows_quarantined)
        """).fetchall()
        assert mismatched == [], name


def test_demo_exercises_quarantine_and_failed_file(pipeline):
    con = pipeline["con"]
    assert con.execute("select count(*) from raw.quarantine").fetchone()[0] > 0
    failed = con.execute("select count(*) from raw.load_manifest where status = 'failed'").fetchone()[0]
    assert failed >= 1
    assert con.execute("select count(*) from raw.load_manifest where status = 'loaded'").fetchone()[0] >= len(SOURCES)


def test_second_run_loads_nothing_again(pipeline):
    con = pipeline["con"]
    for name, count in pipeline["raw_counts_after_first"].items():
        assert con.execute(f"select count(*) from raw.{name}").fetchone()[0] == count, name
    dupes = con.execute(
        "select source_name, file_hash from raw.load_manifest where status = 'loaded' group by 1, 2 having count(*) > 1"
    ).fetchall()
    assert dupes == []


def test_second_run_on_the_same_data_skips_the_dbt_build(pipeline):
    """Nothing new loaded (the broken demo file failed again): the marts are current, dbt does not run."""
    assert "dbt build skipped" not in pipeline["first"].stdout
    assert "dbt build skipped" in pipeline["second"].stdout


def test_implausible_rows_are_quarantined_and_the_run_still_publishes(pipeline):
    con = pipeline["con"]
    quarantined = con.execute(
        """select file_name, field_name, split_part(reason, ':', 1) from raw.quarantine
           where file_name like '%hostile%' order by 1"""
    ).fetchall()
    assert quarantined == [
        ("crm_opportunities_hostile.csv", "Amount", "below_minimum"),
        ("form_submissions_hostile.csv", "submitted_at", "implausible_timestamp"),
    ]
    as_of_at, loaded_at = con.execute(
        "select (select max(as_of_at) from marts.mart_journeys), (select max(loaded_at) from raw.load_manifest)"
    ).fetchone()
    assert as_of_at <= loaded_at
    stages = dict(con.execute("select current_stage, count(*) from marts.mart_journeys group by 1").fetchall())
    assert len(stages) > 1, stages  # not every account decayed to one stage


@pytest.mark.parametrize(
    "mart",
    [
        "fct_interactions",
        "fct_touchpoints",
        "dim_accounts",
        "dim_contacts",
        "mart_journeys",
        "mart_journey_stages",
        "mart_journey_paths",
        "mart_journey_sequences",
        "fct_conversions",
        "mart_attribution_credits",
        "mart_attribution_channels",
        "mart_attribution_campaigns",
    ],
)
def test_marts_are_published_and_not_empty(pipeline, mart):
    assert pipeline["published"].execute(f"select count(*) from marts.{mart}").fetchone()[0] > 0


def test_published_layer_holds_the_published_relations_with_descriptions(pipeline):
    published = pipeline["published"]
    views = published.execute(
        "select view_name, comment from duckdb_views() where not internal and schema_name = 'marts'"
    ).fetchall()
    assert sorted(name for name, _ in views) == sorted(PUBLISHED_RELATIONS)
    assert all(comment for _, comment in views)
    assert published.execute("select count(*) from duckdb_tables()").fetchone() == (0,)  # no raw, no copies
    undescribed = published.execute(
        "select table_name, column_name from duckdb_columns() where schema_name = 'marts' and comment is null"
    ).fetchall()
    assert undescribed == []
    quarantined = published.execute("select sum(rows_quarantined) from marts.mart_quarantined_rows").fetchone()[0]
    assert quarantined == pipeline["con"].execute("select count(*) from raw.quarantine").fetchone()[0]


def test_scheduled_build_leaves_unit_tests_out():
    from orchestration.assets.dbt import dbt_build_args

    assert dbt_build_args()[:3] == ["build", "--exclude-resource-type", "unit_test"]
    assert "tests_full_scan" in " ".join(dbt_build_args(full_test_scan=True))


def test_unit_tests_pass(pipeline):
    """Every dbt unit test, against the warehouse the job built (they need its relations)."""
    root = pipeline["root"]
    env = pipeline["env"] | {"DBT_PROFILES_DIR": str(settings.PROJECT_DIR)}
    dbt = os.path.join(os.path.dirname(sys.executable), "dbt")
    result = subprocess.run(
        [
            dbt,
            "test",
            "--select",
            "test_type:unit",
            "--target-path",
            str(root / "target"),
            "--log-path",
            str(root / "logs"),
        ],
        cwd=settings.PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    assert "PASS=" in result.stdout and "PASS=0 " not in result.stdout


def test_tool_tagged_links_get_their_channel_and_other_is_reported(pipeline):
    con = pipeline["con"]
    by_pair = dict(
        con.execute("""
            select channel_utm_medium || '/' || channel_utm_source, min(channel)
            from marts.fct_interactions where source_system = 'segment' group by 1 having count(distinct channel) = 1
        """).fetchall()
    )
    assert by_pair["sales/outreach"] == "sales_outreach"
    assert by_pair["email/salesloft"] == "sales_outreach"
    assert by_pair["affiliate/partnerstack"] == "partner"
    assert by_pair["print/trade-magazine"] == "other"
    out = pipeline["first"].stdout
    assert "Channel 'other'" in out and "Top unmatched (utm_medium, utm_source) pairs" in out
    assert "trade-magazine" in out


def test_demo_exercises_each_fidelity_case(pipeline):
    con = pipeline["con"]

    def count(sql: str) -> int:
        return con.execute(sql).fetchone()[0]

    # a short visit whose one heartbeat came at 10 s: 10 engaged seconds, a bounce
    assert (
        count("""
        select count(*) from marts.fct_interactions as f
        inner join intermediate.int_page_views_engaged_time as e on f.source_record_id = e.page_view_event_id
        where e.engaged_time_method = 'heartbeat' and e.heartbeat_count = 1 and e.engaged_seconds = 10
            and f.reason = 'bounce'
    """)
        > 0
    )
    # parallel tabs: two page views of one session in the same instant, each with its own heartbeats
    assert (
        count("""
        select count(*) from intermediate.int_page_views_engaged_time as a
        inner join intermediate.int_page_views_engaged_time as b
            on a.session_id = b.session_id and a.page_viewed_at = b.page_viewed_at
            and a.page_view_event_id < b.page_view_event_id
        where a.heartbeat_count > 0 and b.heartbeat_count > 0
    """)
        > 0
    )
    assigned = dict(
        con.execute("""
        select coalesce(heartbeat_match_method, 'unassigned'), count(*)
        from intermediate.int_heartbeats_assigned group by 1
    """).fetchall()
    )
    assert all(assigned.get(method, 0) > 0 for method in ("page_view_id", "page_path", "unassigned"))
    # an unknown content type is loaded with its word count and reported as a warning
    assert count("select count(*) from raw.content_catalog where content_type = 'playbook' and word_count > 0") == 1
    assert "WARNING content_catalog.content_type = 'playbook'" in pipeline["first"].stdout
    # ad and e-mail clicks linked to their landing page views, one touchpoint per visit
    linked = dict(
        con.execute("""
        select interaction_type, count(*) from marts.fct_interactions
        where linked_interaction_id is not null group by 1
    """).fetchall()
    )
    assert linked.get("ad_click", 0) > 0 and linked.get("email_click", 0) > 0
    assert linked["page_view"] == linked["ad_click"] + linked["email_click"]
    # no spend is not zero cost
    assert (
        count("""
        select count(*) from marts.mart_attribution_channels where spend = 0 and attributed_leads > 0
    """)
        > 0
    )
    assert (
        count("""
        select count(*) from marts.mart_attribution_channels
        where spend = 0 and coalesce(cost_per_attributed_lead, cost_per_attributed_opportunity,
                                     cost_per_attributed_won_deal) is not null
    """)
        == 0
    )


@pytest.mark.parametrize(
    ("relation", "columns"),
    [
        ("fct_touchpoints", ["touchpoint_id", "contact_id"]),
        ("fct_interactions", ["interaction_id", "contact_id"]),
        ("fct_conversions", ["conversion_id", "contact_id"]),
        ("mart_attribution_credits", ["credit_id", "conversion_id"]),
    ],
)
def test_keys_in_marts_hold_no_email_address(pipeline, relation, columns):
    """Issue 11, defect 11: contact_id was 'email:<address>' and flowed into mart keys."""
    for column in columns:
        sql = f"select count(*) from marts.{relation} where {column} like '%@%'"
        found = pipeline["con"].execute(sql).fetchone()[0]
        assert found == 0, f"{relation}.{column}"


SCAN = """
import json, sys
import duckdb
from orchestration import settings
from orchestration.erase import find_mentions, table_mentions
address = sys.argv[1]
found = find_mentions(address, settings.warehouse_path(), settings.landing_dir())
with duckdb.connect(str(settings.published_path()), read_only=True) as con:
    found += ["published " + place for place in table_mentions(con, address)]
print(json.dumps(found))
"""


def test_a_failed_reconciliation_names_its_rows(pipeline, tmp_path, capsys):
    """Issue 11: a failing cross-model test stores its rows (store_failures, dbt_project.yml) and
    the run prints them (orchestration/test_failures.py). On a copy of the warehouse."""
    from orchestration.test_failures import print_failing_rows

    copy = tmp_path / "warehouse.duckdb"
    shutil.copy(pipeline["env"]["TW_DUCKDB_PATH"], copy)
    with duckdb.connect(str(copy)) as con:
        model, conversion_id = con.execute(
            "select min(model_name), min(conversion_id) from marts.mart_attribution_credits where model_name = 'linear'"
        ).fetchone()
        con.execute(
            "update marts.mart_attribution_credits set credit = credit * 2 where model_name = ? and conversion_id = ?",
            [model, conversion_id],
        )
    target = tmp_path / "target"
    dbt = str(Path(sys.executable).parent / "dbt")
    project = str(settings.PROJECT_DIR)
    test = subprocess.run(
        [
            dbt,
            "test",
            "--select",
            "attribution_credits_sum_to_one",
            "--project-dir",
            project,
            "--profiles-dir",
            project,
            "--target-path",
            str(target),
            "--log-path",
            str(tmp_path / "logs"),
        ],
        env=pipeline["env"] | {"TW_DUCKDB_PATH": str(copy)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert test.returncode == 1, test.stdout[-3000:]
    capsys.readouterr()

    print_failing_rows(copy, target)

    out = capsys.readouterr().out
    assert "attribution_credits_sum_to_one: 1 failing rows" in out
    assert conversion_id in out and "select * from" in out


@pytest.fixture
def erasure_world(pipeline, tmp_path):
    """A copy of the end-to-end run (landing files, warehouse) published twice with e-mail
    addresses, so that the published layer holds a current and a superseded version (kept for
    the grace period) that both name the person. The
    erasure works on the copy: the other tests keep the session's warehouse as it was."""
    shutil.copytree(pipeline["root"] / "landing", tmp_path / "landing")
    shutil.copyfile(pipeline["env"]["TW_DUCKDB_PATH"], tmp_path / "warehouse.duckdb")
    env = pipeline["env"] | {
        "TW_LANDING_DIR": str(tmp_path / "landing"),
        "TW_DUCKDB_PATH": str(tmp_path / "warehouse.duckdb"),
        "TW_PUBLISHED_PATH": str(tmp_path / "published" / "touchpoints.duckdb"),
    }
    versions = [  # with addresses (TW_PUBLISH_EMAILS=true), so the person is in both versions' files
        publish(tmp_path / "warehouse.duckdb", tmp_path / "published" / "touchpoints.duckdb", publish_emails=True)
        for _ in range(2)
    ]
    return env, versions


def test_erasure_leaves_no_trace(pipeline, erasure_world):
    """Issue 11, defect 11: landing files, warehouse, and every published file (the current
    version and a superseded one still within its grace period, bytes and rows)."""
    env, (superseded, current) = erasure_world
    address = (
        pipeline["con"]
        .execute(  # the CRM contact whose address appears in the most raw rows
            """select contacts.email
           from raw.crm_contacts as contacts
           left join raw.form_submissions as submissions on submissions.email = contacts.email
           left join raw.email_events as events on events.recipient = contacts.email
           where contacts.email is not null
           group by 1 order by count(*) desc, 1 limit 1"""
        )
        .fetchone()[0]
    )
    before = subprocess.run(
        [sys.executable, "-c", SCAN, address],
        cwd=settings.PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    found = json.loads(before.stdout)
    assert len(found) > 5, before.stderr[-3000:]
    assert any(str(superseded) in place for place in found), found  # the scan reaches old versions

    erase = subprocess.run(
        [sys.executable, "-m", "orchestration.erase", "--email", address.upper()],
        cwd=settings.PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=1500,
    )
    assert erase.returncode == 0, erase.stdout[-6000:] + erase.stderr[-6000:]
    assert not superseded.exists() and not current.exists()  # superseded at once, grace period or not
    after = subprocess.run(
        [sys.executable, "-c", SCAN, address],
        cwd=settings.PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert json.loads(after.stdout) == [], after.stderr[-3000:]
    published = published_files(Path(env["TW_PUBLISHED_PATH"]))
    assert any(p.suffix == ".parquet" for p in published)
    for path in published:  # the bytes of every published file, here as well as in the scan
        assert re.search(mention_pattern(address).encode(), path.read_bytes().lower()) is None, path


def test_dagster_records_row_counts_load_times_and_freshness(pipeline):
    """What the Dagster UI shows for the runs: each dbt table's row count (counted after dbt
    exits; the first run built them, the second skipped dbt), each raw table's newest load as
    its last update, and the freshness checks' results."""
    import dagster as dg
    from dagster._core.storage.asset_check_execution_record import AssetCheckExecutionRecordStatus

    con = pipeline["con"]
    instance = dg.DagsterInstance.from_config(str(pipeline["root"] / "dagster_home"))
    try:
        for model, layer in [("fct_touchpoints", "marts"), ("int_interactions_scored", "intermediate")]:
            event = instance.get_latest_materialization_event(dg.AssetKey([model]))
            recorded = event.asset_materialization.metadata["dagster/row_count"].value
            assert recorded == con.execute(f"select count(*) from {settings.schema(layer)}.{model}").fetchone()[0]

        newest_load = con.execute(
            "select max(loaded_at) from raw.load_manifest where source_name = 'web_events' and status = 'loaded'"
        ).fetchone()[0]
        event = instance.get_latest_materialization_event(dg.AssetKey(["raw", "web_events"]))
        recorded = event.asset_materialization.metadata["dagster/last_updated_timestamp"].value
        assert abs(recorded - newest_load.replace(tzinfo=UTC).timestamp()) < 1e-3

        def check_history(asset_key: dg.AssetKey) -> list:
            return instance.event_log_storage.get_asset_check_execution_history(
                dg.AssetCheckKey(asset_key, "freshness_check"), limit=5
            )

        raw_key, published_key = dg.AssetKey(["raw", "web_events"]), dg.AssetKey(["published_warehouse"])
        assert check_history(raw_key)[0].status == AssetCheckExecutionRecordStatus.SUCCEEDED  # both runs
        # The first run published and its check passed; the second skipped dbt and publishing (its
        # check step is skipped with them) and confirmed the published copy current instead.
        assert AssetCheckExecutionRecordStatus.SUCCEEDED in {r.status for r in check_history(published_key)}
        published_at = instance.get_latest_materialization_event(published_key).timestamp
        observation = instance.fetch_observations(published_key, limit=1).records[0].asset_observation
        assert "unchanged" in observation.metadata
        assert observation.metadata["dagster/last_updated_timestamp"].value > published_at
        # What freshness_checks_sensor evaluates between runs: fresh, from that observation.
        from orchestration.assets.freshness import published_freshness_checks

        @dg.asset(key=published_key)
        def published_stand_in() -> None:
            raise AssertionError("only the check is selected")

        result = dg.materialize(
            [published_stand_in, *published_freshness_checks()],
            instance=instance,
            selection=dg.AssetSelection.checks_for_assets(published_key),
        )
        [evaluation] = result.get_asset_check_evaluations()
        assert evaluation.passed
        last_update = "dagster/last_updated_timestamp"
        assert evaluation.metadata[last_update] == observation.metadata[last_update]
    finally:
        instance.dispose()
