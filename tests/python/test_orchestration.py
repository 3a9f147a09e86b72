"""Dagster wiring: the definitions load, the sensor keys runs by file content, publishing never
blocks readers."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import dagster as dg
import duckdb
import pytest

from orchestration import settings
from orchestration.resources import dbt_project


@pytest.fixture(scope="module")
def definitions():
    from orchestration.run import parse_dbt_project

    parse_dbt_project()
    from orchestration.definitions import defs

    return defs


def test_definitions_load_with_job_schedule_sensor_and_checks(definitions):
    job = definitions.resolve_job_def("touchpoint_pipeline")
    assert job is not None
    assert definitions.resolve_schedule_def("daily_touchpoint_pipeline").cron_schedule == "0 5 * * *"
    assert definitions.resolve_sensor_def("landing_folder_sensor") is not None
    assert definitions.resolve_job_def("erase_person") is not None
    graph = definitions.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    assert "raw/web_events" in keys and "published_warehouse" in keys
    assert "stg_segment__events" in keys and "fct_touchpoints" in keys
    # dbt sources resolve to the ingestion assets, so the lineage is one graph
    staging = graph.get(dg.AssetKey(["stg_segment__events"]))
    assert dg.AssetKey(["raw", "web_events"]) in staging.parent_keys
    # dbt tests show up as asset checks: every data test, also the singular tests that read
    # several models (their `meta: dagster: ref` names the asset they are shown on)
    check_names = {key.name for key in graph.asset_check_keys}
    manifest = json.loads((dbt_project.manifest_path).read_text())
    data_tests = {node["name"] for node in manifest["nodes"].values() if node["resource_type"] == "test"}
    assert data_tests and data_tests <= check_names, sorted(data_tests - check_names)


def test_sensor_requests_one_run_per_new_set_of_files(tmp_path, monkeypatch):
    from orchestration.sensors import landing_folder_sensor

    monkeypatch.setenv("TW_LANDING_DIR", str(tmp_path / "missing"))
    monkeypatch.setenv("TW_DUCKDB_PATH", str(tmp_path / "no_warehouse" / "w.duckdb"))
    monkeypatch.setenv("TW_SETTLE_SECONDS", "0")
    assert isinstance(landing_folder_sensor(dg.build_sensor_context()), dg.SkipReason)

    monkeypatch.setenv("TW_LANDING_DIR", str(tmp_path))
    (tmp_path / "crm_accounts.csv").write_text("Id,Name,CreatedDate\n1,Acme,2026-01-01T00:00:00Z\n")

    first = landing_folder_sensor(dg.build_sensor_context())
    assert len(first.run_requests) == 1
    again = landing_folder_sensor(dg.build_sensor_context(cursor=first.cursor))
    assert isinstance(again, dg.SkipReason)
    touched = tmp_path / "crm_accounts.csv"
    os.utime(touched, ns=(touched.stat().st_atime_ns, touched.stat().st_mtime_ns + 10**9))
    assert isinstance(landing_folder_sensor(dg.build_sensor_context(cursor=first.cursor)), dg.SkipReason)

    (tmp_path / "crm_accounts.csv").write_text("Id,Name,CreatedDate\n1,Acme Corp,2026-01-01T00:00:00Z\n")
    corrected = landing_folder_sensor(dg.build_sensor_context(cursor=first.cursor))
    assert len(corrected.run_requests) == 1
    assert corrected.run_requests[0].run_key != first.run_requests[0].run_key


def test_readers_open_the_published_copy_while_the_writer_holds_the_warehouse(tmp_path):
    from orchestration.publishing import publish

    warehouse, published = tmp_path / "w.duckdb", tmp_path / "pub" / "w.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create schema marts; create table marts.t as select 42 as answer")
    publish(warehouse, published, ("t",), source_schema="marts")

    writer = duckdb.connect(str(warehouse))  # the pipeline holds the write lock ...
    try:
        reader = subprocess.run(  # ... and a reader in another process still gets an answer
            [
                sys.executable,
                "-c",
                f"import duckdb; print(duckdb.connect({str(published)!r}, read_only=True)"
                ".execute('select answer from marts.t').fetchone()[0])",
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        assert reader.stdout.strip() == "42"
        blocked = subprocess.run(
            [sys.executable, "-c", f"import duckdb; duckdb.connect({str(warehouse)!r}, read_only=True)"],
            capture_output=True,
            text=True,
        )
        assert blocked.returncode != 0  # which is why readers never open the warehouse itself
    finally:
        writer.close()


def test_paths_resolve_relative_to_the_project(monkeypatch):
    monkeypatch.setenv("TW_DUCKDB_PATH", "some/dir/x.duckdb")
    assert settings.warehouse_path() == settings.PROJECT_DIR / "some/dir/x.duckdb"
    monkeypatch.delenv("TW_DUCKDB_PATH")
    assert settings.warehouse_path() == settings.PROJECT_DIR / "warehouse/touchpoints.duckdb"
