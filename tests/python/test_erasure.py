"""The right to erasure (issue 11, defect 11), without dbt: landing files, raw tables,
quarantine, tombstone and the database file's bytes. The end-to-end test (with every model and
the published copy) is test_pipeline_end_to_end.py::test_erasure_leaves_no_trace."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from orchestration.erase import erase_person, find_mentions, mention_pattern, mentions
from orchestration.ingestion.load import ingest_landing_folder
from orchestration.lake import sync_lake

ANA = "ana@acme.io"


@pytest.fixture
def world(tmp_path: Path, monkeypatch) -> tuple[Path, Path]:
    landing, warehouse = tmp_path / "landing", tmp_path / "warehouse" / "w.duckdb"
    landing.mkdir()
    monkeypatch.setenv("TW_LANDING_DIR", str(landing))
    monkeypatch.setenv("TW_DUCKDB_PATH", str(warehouse))
    monkeypatch.setenv("TW_PUBLISHED_PATH", str(tmp_path / "published" / "w.duckdb"))
    monkeypatch.setenv("TW_LAKE_DIR", str(tmp_path / "lake"))  # never the project's lake
    monkeypatch.setenv("TW_SPARK_DIR", str(tmp_path / "spark"))
    (landing / "crm_contacts.csv").write_text(
        "Id,AccountId,Email,FirstName,CreatedDate\n"
        "003A,001A,Ana@Acme.io,Ana,2026-03-05T15:00:00Z\n"
        "003B,001A,diana@acme.io,Diana,2026-03-05T15:00:00Z\n",
        encoding="utf-8",
    )
    events = [
        {
            "messageId": "m1",
            "type": "identify",
            "anonymousId": "a1",
            "traits": {"email": ANA},
            "timestamp": "2026-03-04T09:15:02Z",
        },
        {
            "messageId": "m2",
            "type": "page",
            "anonymousId": "a2",
            "userId": "diana@acme.io",
            "timestamp": "2026-03-04T09:15:02Z",
        },
        # the address URL-encoded in a landing page's query string is a mention too
        {
            "messageId": "m4",
            "type": "page",
            "anonymousId": "a3",
            "timestamp": "2026-03-04T09:16:02Z",
            "properties": {"url": "https://acme.example/pricing?utm_source=mail&email=Ana%40Acme.io"},
        },
        '{"messageId": "m3", "userId": "ana@acme.io", broken',
    ]
    text = "".join((e if isinstance(e, str) else json.dumps(e)) + "\n" for e in events)
    (landing / "web_events.jsonl.gz").write_bytes(gzip.compress(text.encode()))
    table = pa.table(
        {
            "recipient": [ANA, "diana@acme.io"],
            "event_id": ["e1", "e2"],
            "event_type": ["open", "open"],
            "timestamp": ["2026-03-04T09:15:02Z", "2026-03-04T09:15:02Z"],
        }
    )
    pq.write_table(table, landing / "email_events.parquet")
    report = ingest_landing_folder(landing, warehouse)
    assert all(f.status == "loaded" for f in report.files), report.summary()
    return landing, warehouse


def _scalar(warehouse: Path, sql: str) -> object:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchone()[0]


def test_erasure_removes_the_person_everywhere_and_only_them(world) -> None:
    landing, warehouse = world
    assert find_mentions(ANA, warehouse, landing)  # before: everywhere

    report = erase_person(ANA.upper(), rebuild=False)

    assert report.remaining_mentions == []
    assert find_mentions(ANA, warehouse, landing) == []
    # the bytes: the address as a token (diana@acme.io contains it as a substring and stays)
    assert re.search(mention_pattern(ANA).encode(), warehouse.read_bytes().lower()) is None
    assert b"diana@acme.io" in warehouse.read_bytes()
    assert report.landing_rows_removed == {"crm_contacts.csv": 1, "email_events.parquet": 1, "web_events.jsonl.gz": 3}
    # Diana (whose address contains Ana's) is untouched
    assert _scalar(warehouse, "select count(*) from raw.crm_contacts where email = 'diana@acme.io'") == 1
    assert _scalar(warehouse, "select count(*) from raw.web_events where user_id = 'diana@acme.io'") == 1
    assert _scalar(warehouse, "select count(*) from raw.email_events") == 1
    # the tombstone holds a hash, never the address
    assert _scalar(warehouse, "select count(*) from raw.erasure_tombstones") == 1
    # counts still reconcile, and the rewritten files are not loaded again nor conflicts
    unreconciled = "select count(*) from raw.load_manifest where rows_read <> rows_loaded + rows_quarantined"
    assert _scalar(warehouse, unreconciled) == 0
    rerun = ingest_landing_folder(landing, warehouse)
    assert {f.status for f in rerun.files} == {"skipped"}


def test_a_re_export_of_an_erased_person_is_dropped_at_ingestion(world) -> None:
    landing, warehouse = world
    erase_person(ANA, rebuild=False)
    (landing / "crm_contacts_reexport.csv").write_text(
        "Id,AccountId,Email,CreatedDate\n003A,001A, ANA@acme.io ,2026-03-05T15:00:00Z\n"
        "003C,001A,carl@acme.io,2026-03-05T15:00:00Z\n",
        encoding="utf-8",
    )
    (landing / "web_events_reexport.jsonl").write_text(
        '{"userId": "x", "note": "mail ana@acme.io", broken\n'
        '{"messageId": "m9", "type": "page", "anonymousId": "a9", "timestamp": "2026-03-04T09:16:02Z",'
        ' "properties": {"url": "https://acme.example/?r=https%3A%2F%2Fx.io%3Femail%3Dana%2540acme.io"}}\n'
    )
    report = ingest_landing_folder(landing, warehouse)
    by_name = {f.file_name: f for f in report.files}
    reexport = by_name["crm_contacts_reexport.csv"]
    assert (reexport.rows_read, reexport.rows_loaded, reexport.rows_quarantined) == (2, 1, 1)
    assert by_name["web_events_reexport.jsonl"].rows_loaded == 0
    assert _scalar(warehouse, "select count(*) from raw.quarantine where reason like 'erased_person%'") >= 1
    with duckdb.connect(str(warehouse)) as con:
        con.execute("checkpoint")
    assert find_mentions(ANA, warehouse, landing) == [  # only the new landing files, nothing loaded
        "landing file crm_contacts_reexport.csv",
        "landing file web_events_reexport.jsonl",
    ]


def _lake_rows(lake: Path, table: str, where: str) -> int:
    """Rows of committed files in the lake (what Spark's raw views show) matching `where`."""
    raw = lake / "raw"
    with duckdb.connect() as con:
        return con.execute(
            f"select count(*) from read_parquet('{raw / table}/*.parquet', union_by_name = true) "
            f"where _file_hash in (select file_hash from read_parquet('{raw / 'load_manifest'}/*.parquet')) "
            f"and {where}"
        ).fetchone()[0]


def test_erasure_rewrites_the_lake_spark_reads(world, tmp_path: Path) -> None:
    landing, warehouse = world
    lake = tmp_path / "lake"
    sync_lake(warehouse, lake)
    manifest_files_before = sorted(p.name for p in (lake / "raw" / "load_manifest").glob("*.parquet"))
    assert _lake_rows(lake, "crm_contacts", "lower(email) = 'ana@acme.io'") == 1
    assert any(str(lake) in place for place in find_mentions(ANA, warehouse, landing))  # the check reaches the lake

    report = erase_person(ANA, rebuild=False)

    assert report.remaining_mentions == []
    # no Parquet file of the lake holds the address in any column (the pages are compressed: read them)
    with duckdb.connect() as con:
        for path in lake.rglob("*.parquet"):
            values = con.execute(f"select string_agg(cast(columns(*) as varchar), ' ') from read_parquet('{path}')")
            assert not any(mentions(value, ANA) for value in values.fetchone() if value), path
    # the rewritten landing files have new hashes: the lake follows them, the old names are gone
    manifest_files_after = sorted(p.name for p in (lake / "raw" / "load_manifest").glob("*.parquet"))
    assert manifest_files_after != manifest_files_before
    assert len(manifest_files_after) == len(manifest_files_before)
    assert _lake_rows(lake, "crm_contacts", "email = 'diana@acme.io'") == 1  # Diana stays
    assert _lake_rows(lake, "email_events", "true") == 1
    assert _lake_rows(lake, "web_events", "user_id = 'diana@acme.io'") == 1


def test_a_spark_table_still_naming_the_person_is_reported(world, tmp_path: Path) -> None:
    """A table of local Spark that no rebuild rewrote (e.g. the target was switched back to
    DuckDB after a Spark build): the erasure reports it, in any text or list column."""
    landing, _ = world
    stale = tmp_path / "spark" / "tables" / "marts.db" / "dim_contacts"
    stale.mkdir(parents=True)
    pq.write_table(
        pa.table({"contact_id": ["003A", "003B"], "emails": [[ANA.upper()], ["diana@acme.io"]]}),
        stale / "part-00000.parquet",
    )

    report = erase_person(ANA, rebuild=False)

    assert [place for place in report.remaining_mentions if "Parquet" in place] == [
        f"Parquet file {stale / 'part-00000.parquet'}: emails (1 rows)"
    ]


def test_not_an_address_is_refused(world) -> None:
    with pytest.raises(ValueError):
        erase_person("ana at acme", rebuild=False)


def _run_erase_job(address: str):
    import dagster as dg

    from orchestration.jobs import erase_person_job
    from orchestration.settings_resource import WarehouseSettings

    return erase_person_job.execute_in_process(
        run_config={"ops": {"erase_person_op": {"config": {"email": address}}}},
        instance=dg.DagsterInstance.ephemeral(),
        resources={"warehouse_settings": WarehouseSettings.from_environment()},
        raise_on_error=False,
    )


def test_the_dagster_job_erases_the_person(world, monkeypatch) -> None:
    # the model rebuild (dbt) is covered by test_pipeline_end_to_end.py::test_erasure_leaves_no_trace
    monkeypatch.setattr("orchestration.erase._rebuild_models", lambda: None)
    landing, warehouse = world

    result = _run_erase_job(ANA)

    assert result.success
    assert find_mentions(ANA, warehouse, landing) == []
    assert _scalar(warehouse, "select count(*) from raw.erasure_tombstones") == 1


def test_the_dagster_job_fails_when_the_address_is_still_found(world, monkeypatch) -> None:
    monkeypatch.setattr("orchestration.erase._rebuild_models", lambda: None)
    monkeypatch.setattr("orchestration.erase.find_mentions", lambda *args: ["marts.some_table.some_column"])

    result = _run_erase_job(ANA)

    assert not result.success
    failure = result.failure_data_for_node("erase_person_op")
    assert failure.user_failure_data.description == "the address is still found: marts.some_table.some_column"
