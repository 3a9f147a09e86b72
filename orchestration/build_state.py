"""A scheduled run on the same data builds nothing: the dbt build is skipped when none of its
inputs changed since the last successful build.

What a day without new data must recompute: nothing. Every model is a function of the raw
tables, the seeds, the project's SQL and YAML, and the dbt arguments (vars). Time enters only
through data: the journey marts' "as of" time is the latest touchpoint, never later than the
latest load (int_journey_as_of), not the clock, so journey scores do not decay between two runs
on the same data and the marts built yesterday are still correct today (scores "as of" the
newest data). Someone who wants scores decayed to a calendar date sets var journey_as_of_at,
which changes the arguments or dbt_project.yml, so the next run builds.

The fingerprint of those inputs (inputs_fingerprint): every row of raw.load_manifest that
loaded or quarantined rows (a new load, a re-export) and the contents that failed to load, the
row count of every other raw table (an erasure deletes raw rows), the content of every file dbt
reads (models, macros, seeds, dbt tests, dbt_project.yml, profiles.yml), the values of the
environment variables those files read (env_var) and the dbt arguments. It is stored next to
the warehouse after a successful build (`<warehouse>.last_build.json`); a run whose fingerprint
equals the stored one skips dbt.
DuckDB target only (on Spark the raw layer is the lake): elsewhere every run builds.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

import duckdb

# What dbt reads, relative to the project folder (dbt_project.yml: model-, macro-, seed-,
# test-paths; tests/python holds pytest files, which dbt ignores).
PROJECT_INPUTS = ("models", "macros", "seeds", "tests/dbt", "dbt_project.yml", "profiles.yml")
PROJECT_SUFFIXES = {".sql", ".py", ".yml", ".yaml", ".csv", ".md"}
# env_var('NAME' ...) in those files: the environment variables whose values dbt reads.
ENV_VAR_CALL = re.compile(r"""env_var\(\s*['"]([A-Za-z_][A-Za-z0-9_]*)['"]""")


def state_path(warehouse: Path) -> Path:
    return warehouse.with_name(warehouse.name + ".last_build.json")


def _project_files(project_dir: Path) -> list[Path]:
    files = []
    for name in PROJECT_INPUTS:
        path = project_dir / name
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            files += [p for p in path.rglob("*") if p.is_file() and p.suffix in PROJECT_SUFFIXES]
    return sorted(files)


def _raw_state(warehouse: Path) -> list:
    # The default configuration, like ingestion and the row counts: a second configuration
    # (read_only) is refused while another connection of this process holds the file.
    with duckdb.connect(str(warehouse)) as con:
        tables = [
            name
            for (name,) in con.execute(
                "select table_name from duckdb_tables() where database_name = current_database() "
                "and schema_name = 'raw' and table_name <> 'load_manifest' order by table_name"
            ).fetchall()
        ]
        # Every attempt that loaded or quarantined rows; of failed attempts only which contents
        # failed (no model reads them, and a broken file retried by every run changes nothing).
        manifest = con.execute(
            """
            select count(*), coalesce(sum(hash(file_name, file_hash, source_name, status, loaded_at,
                rows_loaded, rows_quarantined)), 0)
            from (
                select file_name, file_hash, source_name, status, loaded_at, rows_loaded, rows_quarantined
                from raw.load_manifest where coalesce(status, '') <> 'failed'
                union
                select distinct null, file_hash, source_name, 'failed', null, null, null
                from raw.load_manifest where status = 'failed'
            ) as attempts
            """
        ).fetchone()
        counts = [con.execute(f'select count(*) from raw."{table}"').fetchone()[0] for table in tables]
    return [str(manifest[0]), str(manifest[1]), list(zip(tables, counts, strict=True))]


def inputs(warehouse: Path, project_dir: Path, dbt_args: list[str]) -> dict | None:
    """Everything the dbt build reads, in short: the raw state, the arguments and a hash of each
    project file; None when the warehouse has no load manifest yet (nothing to compare: build)."""
    if not warehouse.exists():
        return None
    try:
        raw = _raw_state(warehouse)
    except duckdb.Error:  # no load manifest yet, or the file is busy: build
        return None
    files, env_names = {}, set()
    for path in _project_files(project_dir):
        content = path.read_bytes()
        files[str(path.relative_to(project_dir))] = hashlib.sha256(content).hexdigest()
        env_names.update(ENV_VAR_CALL.findall(content.decode("utf-8", errors="replace")))
    # The environment variables the project reads (e.g. the contact id key, the schema prefix),
    # each as a hash of its value: a secret never appears in the fingerprint's input.
    env = {name: _digest(os.environ.get(name)) for name in sorted(env_names)}
    return {"raw": raw, "args": dbt_args, "files": files, "env": env}


def _digest(value: str | None) -> str | None:
    return None if value is None else hashlib.sha256(value.encode()).hexdigest()


def inputs_fingerprint(warehouse: Path, project_dir: Path, dbt_args: list[str]) -> str | None:
    """A hash of inputs() (None when they are unknown)."""
    state = inputs(warehouse, project_dir, dbt_args)
    return None if state is None else hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()


def unchanged_since_last_build(warehouse: Path, fingerprint: str | None) -> bool:
    path = state_path(warehouse)
    if fingerprint is None or not path.exists():
        return False
    try:
        return json.loads(path.read_text(encoding="utf-8")).get("inputs_fingerprint") == fingerprint
    except (OSError, ValueError):
        return False


def record_build(warehouse: Path, fingerprint: str | None) -> None:
    """After a successful build: its inputs, for the next run to compare with."""
    if fingerprint is not None:
        state_path(warehouse).write_text(json.dumps({"inputs_fingerprint": fingerprint}) + "\n", encoding="utf-8")


def forget_build(warehouse: Path) -> None:
    """Before a build: a failed or interrupted build must not count as the last successful one."""
    state_path(warehouse).unlink(missing_ok=True)
