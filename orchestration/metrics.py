"""Numbers through the semantic layer: run a dbt saved query with MetricFlow (`mf query`) on the
warehouse and return its rows, so the run summary and `mf` users share one definition of every
metric (models/semantic/)."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from orchestration import settings


class SavedQueryError(RuntimeError):
    pass


def mf_command() -> Path:
    return Path(sys.executable).parent / "mf"


def check_semantic_manifest(db_path: Path) -> None:
    """MetricFlow names relations "<database>"."<schema>"."<table>" as of the last `dbt parse`,
    and DuckDB names the database after the file: fail clearly when they disagree."""
    manifest_path = settings.PROJECT_DIR / "target" / "semantic_manifest.json"
    if not manifest_path.exists():
        raise SavedQueryError(f"{manifest_path} is missing: run dbt parse first")
    models = json.loads(manifest_path.read_text())["semantic_models"]
    databases = {model["node_relation"]["database"] for model in models}
    if databases != {db_path.stem}:
        raise SavedQueryError(
            f"the semantic manifest was parsed for database {sorted(databases)}, not {db_path.stem!r} "
            f"({db_path}): run dbt parse with TW_DUCKDB_PATH={db_path}"
        )


def run_saved_query(name: str, db_path: Path, timeout: int = 600) -> list[dict[str, str]]:
    """Rows of saved query `name` on the warehouse at db_path, as dicts of column -> text.

    MetricFlow connects through dbt's profile (profiles.yml reads TW_DUCKDB_PATH) and reads the
    semantic manifest that `dbt parse` writes to target/. Nothing may hold the file for writing.
    """
    check_semantic_manifest(db_path)
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / f"{name}.csv"
        env = os.environ | {"TW_DUCKDB_PATH": str(db_path), "DBT_PROFILES_DIR": str(settings.PROJECT_DIR)}
        result = subprocess.run(
            [str(mf_command()), "query", "--saved-query", name, "--csv", str(output), "--quiet"],
            cwd=settings.PROJECT_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode != 0 or not output.exists():
            details = result.stdout[-3000:] + result.stderr[-3000:]
            raise SavedQueryError(f"mf query --saved-query {name} failed:\n{details}")
        with output.open(newline="") as handle:
            return list(csv.DictReader(handle))
