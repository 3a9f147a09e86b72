"""Shared fixtures: the ingestion tests' landing folder and warehouse path, and the main job run
end to end once per session (it takes minutes)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from orchestration import settings
from orchestration.ingestion.contract import SOURCES


@pytest.fixture(scope="session")
def manifest() -> dict:
    """dbt's parsed project; importing the Dagster definitions needs it too (a fresh clone has no
    target/manifest.json until dbt parses it)."""
    import json

    from orchestration.resources import dbt_project
    from orchestration.run import parse_dbt_project

    parse_dbt_project()
    return json.loads(dbt_project.manifest_path.read_text())


@pytest.fixture
def landing(tmp_path: Path) -> Path:
    folder = tmp_path / "landing"
    folder.mkdir()
    return folder


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "warehouse.duckdb"


def _run_pipeline(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "orchestration.run", "--demo-accounts", "40", "--demo-seed", "11"],
        cwd=settings.PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
    )


# Issue 11, defects 1 and 2: one form dated 2100 and one won deal of -50,000 among the demo
# exports. Before, the first made every account decay to Target and the second failed the
# reconciliation test, so the run exited 2 and never published.
HOSTILE_FILES = {
    "form_submissions_hostile.csv": (
        "submission_id,form_type,email,submitted_at\nfs-hostile-1,demo_request,ana@acme.io,2100-01-02T10:00:00Z\n"
    ),
    "crm_opportunities_hostile.csv": (
        "Id,AccountId,StageName,Amount,CreatedDate,CloseDate,IsClosed,IsWon\n"
        "006HOSTILE,001HOSTILE,Closed Won,-50000,2026-03-04T09:15:02Z,2026-04-01,true,true\n"
    ),
}


@pytest.fixture(scope="session")
def pipeline(tmp_path_factory):
    """Two runs of `python -m orchestration.run` on 40 demo accounts plus HOSTILE_FILES."""
    from orchestration.demo_data import generate_demo_exports

    root = tmp_path_factory.mktemp("pipeline")
    generate_demo_exports(root / "landing", accounts=40, seed=11)
    for name, text in HOSTILE_FILES.items():
        (root / "landing" / name).write_text(text, encoding="utf-8")
    env = os.environ | {
        "TW_LANDING_DIR": str(root / "landing"),
        "TW_DUCKDB_PATH": str(root / "warehouse.duckdb"),
        "TW_PUBLISHED_PATH": str(root / "published" / "warehouse.duckdb"),
        "TW_LAKE_DIR": str(root / "lake"),  # an erasure reads and rewrites these when they exist:
        "TW_SPARK_DIR": str(root / "spark"),  # never the project's own
        "TW_SETTLE_SECONDS": "0",  # the fixture wrote the files completely just now
        # a Dagster instance of its own, so the tests can read what the runs recorded (metadata, checks)
        "DAGSTER_HOME": str(root / "dagster_home"),
    }
    (root / "dagster_home").mkdir()
    first = _run_pipeline(env)
    assert first.returncode == 0, first.stdout[-6000:] + first.stderr[-6000:]
    with duckdb.connect(env["TW_DUCKDB_PATH"], read_only=True) as con:
        raw_counts_after_first = {
            name: con.execute(f"select count(*) from raw.{name}").fetchone()[0] for name in SOURCES
        }
    second = _run_pipeline(env)
    assert second.returncode == 0, second.stdout[-6000:] + second.stderr[-6000:]
    # The run is over: the tests read the warehouse (raw layer) and the published layer. They
    # hold a copy of the warehouse, so that dbt and mf can still open the file itself.
    snapshot = root / "warehouse_after_runs.duckdb"
    shutil.copyfile(env["TW_DUCKDB_PATH"], snapshot)
    con = duckdb.connect(str(snapshot), read_only=True)
    published = duckdb.connect(env["TW_PUBLISHED_PATH"], read_only=True)
    yield {
        "first": first,
        "second": second,
        "con": con,
        "published": published,
        "raw_counts_after_first": raw_counts_after_first,
        "env": env,
        "root": root,
    }
    con.close()
    published.close()
