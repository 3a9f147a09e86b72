"""One writer, coordinated (issue 11, defects 4 and 9): every entry point takes the pipeline
lock, a second writer gets one clear line naming the holder, a killed orchestrator takes its
dbt child with it, and a failed run never points readers at the working warehouse."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from orchestration import settings
from orchestration.lock import PipelineBusy, current_holder, lock_path, pipeline_lock

HOLD = (
    "import sys, time\n"
    "from pathlib import Path\n"
    "from orchestration.lock import pipeline_lock\n"
    "with pipeline_lock('holder under test', Path(sys.argv[1])):\n"
    "    print('held', flush=True)\n"
    "    time.sleep(120)\n"
)


@pytest.fixture
def holder(tmp_path: Path):
    """Another process holding the pipeline lock of tmp_path/warehouse.duckdb."""
    warehouse = tmp_path / "warehouse.duckdb"
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(warehouse)], cwd=settings.PROJECT_DIR, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout.readline().strip() == "held"
    yield warehouse, process
    process.kill()
    process.wait()


def _wait_until(predicate, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return predicate()


def test_second_writer_gets_one_line_naming_the_holder(holder) -> None:
    warehouse, process = holder
    with pytest.raises(PipelineBusy) as busy:
        with pipeline_lock("second writer", warehouse, wait=0):
            pass
    message = str(busy.value)
    assert "\n" not in message
    assert "holder under test" in message and f"pid {process.pid}" in message
    assert current_holder(warehouse) and "holder under test" in current_holder(warehouse)


def test_second_writer_waits_up_to_the_configured_time(holder, monkeypatch) -> None:
    warehouse, process = holder
    monkeypatch.setenv("TW_LOCK_WAIT_SECONDS", "1.5")
    started = time.monotonic()
    with pytest.raises(PipelineBusy):
        with pipeline_lock("second writer", warehouse):
            pass
    assert time.monotonic() - started >= 1.5
    process.kill()  # the holder dies (as with kill -9): the kernel releases the lock
    process.wait()
    with pipeline_lock("second writer", warehouse, wait=5) as path:
        assert path == lock_path(warehouse)
    assert current_holder(warehouse) is None


def test_lock_is_reentrant_within_one_process(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    with pipeline_lock("outer", warehouse, wait=0), pipeline_lock("inner", warehouse, wait=0):
        pass
    with pipeline_lock("again", warehouse, wait=0):
        pass


def test_cli_run_exits_with_one_line_when_the_lock_is_held(holder, tmp_path: Path) -> None:
    warehouse, _ = holder
    env = os.environ | {
        "TW_DUCKDB_PATH": str(warehouse),
        "TW_LANDING_DIR": str(tmp_path / "landing"),
        "TW_PUBLISHED_PATH": str(tmp_path / "published" / "w.duckdb"),
    }
    run = subprocess.run(
        [sys.executable, "-m", "orchestration.run"],
        cwd=settings.PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 3
    assert run.stderr.strip().count("\n") == 0 and "holder under test" in run.stderr
    assert "Traceback" not in run.stderr
    assert not (tmp_path / "landing").exists() or not any((tmp_path / "landing").iterdir())


def test_dagster_ingestion_step_fails_with_the_holder_named(holder, tmp_path: Path, monkeypatch) -> None:
    import dagster as dg

    from orchestration.assets.ingestion import raw_tables
    from orchestration.settings_resource import WarehouseSettings

    warehouse, _ = holder
    (tmp_path / "landing").mkdir()
    monkeypatch.setenv("TW_DUCKDB_PATH", str(warehouse))
    monkeypatch.setenv("TW_LANDING_DIR", str(tmp_path / "landing"))
    result = dg.materialize(
        [raw_tables], resources={"warehouse_settings": WarehouseSettings.from_environment()}, raise_on_error=False
    )
    assert not result.success
    failure = next(event for event in result.all_events if event.is_step_failure)
    assert "holder under test" in failure.step_failure_data.error.message
    assert raw_tables.op.pool == "warehouse_writer"


def test_killing_the_orchestrator_stops_its_dbt_child(tmp_path: Path) -> None:
    pid_file = tmp_path / "dbt.pid"
    fake_dbt = tmp_path / "fake-dbt"
    fake_dbt.write_text(f"#!/bin/sh\necho $$ > {pid_file}\nexec sleep 120\n")
    fake_dbt.chmod(0o755)
    orchestrator = subprocess.Popen(  # starts "dbt" exactly as dagster-dbt does, then is killed
        [
            sys.executable,
            "-c",
            "import subprocess, time\n"
            "from orchestration.resources import dbt_resource\n"
            "subprocess.Popen([dbt_resource.dbt_executable, 'build'])\n"
            "time.sleep(120)\n",
        ],
        cwd=settings.PROJECT_DIR,
        env=os.environ | {"TW_DBT_EXECUTABLE": str(fake_dbt)},
    )
    try:
        assert _wait_until(lambda: pid_file.exists() and pid_file.read_text().strip(), 60), "dbt never started"
        dbt_pid = int(pid_file.read_text())
        os.kill(orchestrator.pid, signal.SIGKILL)
        orchestrator.wait()
        assert _wait_until(lambda: not _alive(dbt_pid), 10), "dbt outlived the orchestrator"
    finally:
        orchestrator.kill()
        if pid_file.exists() and _alive(int(pid_file.read_text())):
            os.kill(int(pid_file.read_text()), signal.SIGKILL)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a killed child of a dead parent may linger as a zombie until init reaps it
    status = Path(f"/proc/{pid}/status")
    return not (status.exists() and "\nState:\tZ" in status.read_text())


def test_summary_after_a_failure_points_readers_at_the_published_copy(tmp_path: Path, monkeypatch, capsys) -> None:
    from orchestration.summary import print_summary

    working, published = tmp_path / "working.duckdb", tmp_path / "published" / "p.duckdb"
    duckdb.connect(str(working)).close()
    monkeypatch.setenv("TW_PUBLISHED_PATH", str(published))
    print_summary(working, tmp_path)
    readers = [line for line in capsys.readouterr().out.splitlines() if line.startswith("Readers")]
    assert readers and str(published) in readers[0] and str(working) not in readers[0]
