"""orchestration/build_state.py: the scheduled dbt build is skipped only when nothing it reads
changed since the last successful build (a new load, a raw row count, a dbt file, the args)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from orchestration import build_state

ARGS = ["build", "--exclude-resource-type", "unit_test"]


@pytest.fixture
def world(tmp_path: Path) -> tuple[Path, Path]:
    project = tmp_path / "project"
    (project / "models").mkdir(parents=True)
    (project / "models" / "m.sql").write_text("select 1 as x\n")
    (project / "dbt_project.yml").write_text("name: p\n")
    (project / "tests" / "python").mkdir(parents=True)
    warehouse = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create schema raw")
        con.execute(
            "create table raw.load_manifest (file_name varchar, file_hash varchar, source_name varchar, "
            "status varchar, loaded_at timestamp, rows_loaded bigint, rows_quarantined bigint)"
        )
        con.execute("insert into raw.load_manifest values ('a.csv', 'h1', 'web', 'loaded', '2026-12-01', 2, 0)")
        con.execute("create table raw.web_events as select * from range(2) as t(id)")
    return warehouse, project


def _fingerprint(world: tuple[Path, Path], args: list[str] = ARGS) -> str | None:
    warehouse, project = world
    return build_state.inputs_fingerprint(warehouse, project, args)


def test_same_inputs_skip_after_a_recorded_build(world) -> None:
    warehouse, _ = world
    assert not build_state.unchanged_since_last_build(warehouse, _fingerprint(world))  # never built
    build_state.record_build(warehouse, _fingerprint(world))
    assert build_state.unchanged_since_last_build(warehouse, _fingerprint(world))
    build_state.forget_build(warehouse)  # a build started (and may fail): the next run builds
    assert not build_state.unchanged_since_last_build(warehouse, _fingerprint(world))


def test_a_new_load_changes_the_fingerprint_a_failed_retry_does_not(world) -> None:
    before = _fingerprint(world)
    with duckdb.connect(str(world[0])) as con:
        con.execute("insert into raw.load_manifest values ('b.csv', 'h2', 'web', 'failed', '2026-12-02', 0, 0)")
        failed_once = _fingerprint(world)
        con.execute("insert into raw.load_manifest values ('b.csv', 'h2', 'web', 'failed', '2026-12-03', 0, 0)")
        failed_twice = _fingerprint(world)
        con.execute("insert into raw.load_manifest values ('c.csv', 'h3', 'web', 'loaded', '2026-12-03', 5, 1)")
    assert before != failed_once == failed_twice != _fingerprint(world)


def test_deleted_raw_rows_change_the_fingerprint(world) -> None:
    before = _fingerprint(world)
    with duckdb.connect(str(world[0])) as con:
        con.execute("delete from raw.web_events where id = 0")  # e.g. an erasure without a rebuild
    assert _fingerprint(world) != before


def test_a_changed_model_or_argument_changes_the_fingerprint(world) -> None:
    before = _fingerprint(world)
    assert _fingerprint(world, [*ARGS, "--vars", "{journey_as_of_at: '2026-12-01'}"]) != before
    (world[1] / "tests" / "python" / "test_x.py").write_text("# pytest only, dbt ignores it\n")
    assert _fingerprint(world) == before
    (world[1] / "models" / "m.sql").write_text("select 2 as x\n")
    assert _fingerprint(world) != before


def test_no_warehouse_or_manifest_means_build(tmp_path: Path) -> None:
    assert build_state.inputs_fingerprint(tmp_path / "none.duckdb", tmp_path, ARGS) is None
    duckdb.connect(str(tmp_path / "empty.duckdb")).close()
    assert build_state.inputs_fingerprint(tmp_path / "empty.duckdb", tmp_path, ARGS) is None
    assert not build_state.unchanged_since_last_build(tmp_path / "empty.duckdb", None)


def test_an_environment_variable_the_project_reads_changes_the_fingerprint(world, monkeypatch) -> None:
    (world[1] / "macros").mkdir()
    (world[1] / "macros" / "key.sql").write_text("{{ env_var('TW_TEST_KEY', 'default') }}\n")
    monkeypatch.delenv("TW_TEST_KEY", raising=False)
    unset = _fingerprint(world)
    monkeypatch.setenv("TW_TEST_KEY", "secret-1")
    first = _fingerprint(world)
    monkeypatch.setenv("TW_TEST_KEY", "secret-2")
    assert len({unset, first, _fingerprint(world)}) == 3
    monkeypatch.setenv("TW_UNREAD_BY_DBT", "x")  # a variable no project file names changes nothing
    assert _fingerprint(world) != first and _fingerprint(world) == _fingerprint(world)
    assert "secret-2" not in str(build_state.inputs(world[0], world[1], ARGS))


def test_a_skipped_build_confirms_the_published_layer_current(manifest) -> None:
    """The observation a skipped build records is on the published layer's own asset key, with
    the last-update time its freshness check reads."""
    from orchestration.assets.dbt import published_confirmed_current
    from orchestration.assets.publish import published_warehouse

    observation = published_confirmed_current()
    assert observation.asset_key == published_warehouse.key
    assert "dagster/last_updated_timestamp" in observation.metadata
