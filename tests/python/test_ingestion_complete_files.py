"""Complete files only (issue 11, defect 3): a file still being written waits, a file that
changes after it was loaded is a conflict, and the sensor starts runs only for settled files
the manifest does not hold yet."""

from __future__ import annotations

import os
import time
from pathlib import Path

import dagster as dg
import duckdb

from orchestration.ingestion import load
from orchestration.ingestion.load import ingest_landing_folder

HEADER = "Id,AccountId,Email,CreatedDate\n"
ROWS = "".join(f"003{i:03d},001A,c{i}@acme.io,2026-03-05T15:00:00Z\n" for i in range(1000))


def _count(db_path: Path, sql: str) -> int:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return con.execute(sql).fetchone()[0]


def _age(path: Path, seconds: float) -> None:
    moment = time.time() - seconds
    os.utime(path, (moment, moment))


def test_a_file_being_written_waits_and_loads_once_complete(landing: Path, db_path: Path) -> None:
    path = landing / "crm_contacts.csv"
    full = HEADER + ROWS
    path.write_text(full[: len(full) // 2 + 7], encoding="utf-8")  # cut inside a row, just written

    first = ingest_landing_folder(landing, db_path, settle_seconds=30)
    assert [f.status for f in first.files] == ["waiting"]
    assert "30" in first.files[0].error
    assert _count(db_path, "select count(*) from raw.load_manifest") == 0

    path.write_text(full, encoding="utf-8")  # the writer finishes ...
    _age(path, 60)  # ... and the file stays unchanged for longer than the settle time
    second = ingest_landing_folder(landing, db_path, settle_seconds=30)
    assert [(f.status, f.rows_loaded) for f in second.files] == [("loaded", 1000)]
    assert _count(db_path, "select count(*) from raw.crm_contacts") == 1000


def test_a_file_that_changes_after_loading_is_a_conflict_not_a_second_load(landing: Path, db_path: Path) -> None:
    path = landing / "crm_contacts.csv"
    full = HEADER + ROWS
    path.write_text(full[: len(full) // 2], encoding="utf-8")  # a half file that looked settled
    first = ingest_landing_folder(landing, db_path)
    loaded = first.files[0].rows_loaded + first.files[0].rows_quarantined

    path.write_text(full, encoding="utf-8")
    second = ingest_landing_folder(landing, db_path)
    third = ingest_landing_folder(landing, db_path)

    assert [f.status for f in second.files] == ["conflict"]
    assert "changed after it was loaded" in second.files[0].error
    assert [f.status for f in third.files] == ["skipped"]  # reported once
    assert (
        _count(db_path, "select count(*) from raw.crm_contacts")
        + _count(db_path, "select count(*) from raw.quarantine")
        == loaded
    )  # nothing of the second state was loaded
    assert _count(db_path, "select count(*) from raw.load_manifest where status = 'conflict'") == 1


def test_a_file_that_changes_while_it_is_read_is_rolled_back(landing: Path, db_path: Path, monkeypatch) -> None:
    path = landing / "crm_contacts.csv"
    path.write_text(HEADER + ROWS, encoding="utf-8")
    real_load = load._load_file

    def load_while_the_writer_appends(*args, **kwargs):
        result = real_load(*args, **kwargs)
        with path.open("a", encoding="utf-8") as handle:
            handle.write("003999,001A,late@acme.io,2026-03-05T15:00:00Z\n")
        return result

    monkeypatch.setattr(load, "_load_file", load_while_the_writer_appends)
    report = ingest_landing_folder(landing, db_path)
    assert [f.status for f in report.files] == ["waiting"]
    assert _count(db_path, "select count(*) from raw.crm_contacts") == 0
    assert _count(db_path, "select count(*) from raw.load_manifest") == 0


def test_sensor_waits_for_settled_files_and_skips_content_the_manifest_holds(
    landing: Path, db_path: Path, monkeypatch
) -> None:
    from orchestration.sensors import landing_folder_sensor

    monkeypatch.setenv("TW_LANDING_DIR", str(landing))
    monkeypatch.setenv("TW_DUCKDB_PATH", str(db_path))
    monkeypatch.setenv("TW_SETTLE_SECONDS", "30")
    loaded = landing / "crm_contacts.csv"
    loaded.write_text(HEADER + ROWS, encoding="utf-8")
    _age(loaded, 60)
    ingest_landing_folder(landing, db_path)  # e.g. `make demo` before `make dev`

    first_tick = landing_folder_sensor(dg.build_sensor_context())
    assert isinstance(first_tick, dg.SkipReason)  # no rerun of files already loaded

    fresh = landing / "crm_contacts_2.csv"
    fresh.write_text(HEADER + "003X,001A,x@acme.io,2026-03-05T15:00:00Z\n", encoding="utf-8")
    unsettled = landing_folder_sensor(dg.build_sensor_context())
    assert isinstance(unsettled, dg.SkipReason)
    _age(fresh, 60)
    settled = landing_folder_sensor(dg.build_sensor_context())
    assert [request.tags["landing_files"] for request in settled.run_requests] == ["crm_contacts_2.csv"]


def test_sensor_does_not_start_a_run_while_the_warehouse_is_being_written(
    landing: Path, db_path: Path, monkeypatch
) -> None:
    from orchestration.sensors import landing_folder_sensor

    monkeypatch.setenv("TW_LANDING_DIR", str(landing))
    monkeypatch.setenv("TW_DUCKDB_PATH", str(db_path))
    monkeypatch.setenv("TW_SETTLE_SECONDS", "0")
    (landing / "crm_contacts.csv").write_text(HEADER + ROWS, encoding="utf-8")
    ingest_landing_folder(landing, db_path)
    (landing / "crm_contacts_2.csv").write_text(HEADER + "003X,001A,x@acme.io,2026-03-05T15:00:00Z\n")
    import subprocess
    import sys

    writer = subprocess.Popen(  # another process holds the write lock
        [
            sys.executable,
            "-c",
            f"import duckdb, time; c = duckdb.connect({str(db_path)!r}); print('ok', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout.readline().strip() == "ok"
        tick = landing_folder_sensor(dg.build_sensor_context())
        assert isinstance(tick, dg.SkipReason) and "being written" in tick.skip_message
    finally:
        writer.kill()
        writer.wait()
