"""profiles.yml: a dbt build that spills to DuckDB's temp_directory keeps running.

dbt-duckdb runs a profile's `settings` as SET on every new cursor; once a query has spilled,
DuckDB refuses to set temp_directory again, so every node after the first spill failed ("Cannot
switch temporary directory after the current one has been used": a 10M build with the 4 GB
limit). The project's profile sets memory_limit and temp_directory once, at connect time. This
test builds a tiny project with that profile and a memory limit below what its first model
needs, so that model spills, and checks that the models after it still build (with the
profile's old `settings:` block it fails with that error)."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from tests.python.tiny_dbt import build_tiny_project

PROJECT_YML = """
name: spill_check
version: "1.0"
profile: touchpoint_warehouse
model-paths: ["models"]
flags:
  send_anonymous_usage_stats: false
models:
  spill_check:
    +materialized: table
"""

# a sort of 4 million rows (about 200 MB) under a 100 MB limit must spill
BIG_SORT = "select range as n, md5(cast(range as varchar)) as h from range(4000000) order by h"
AFTER_SPILL = "select count(*) as row_count from {{ ref('big_sort') }}"
ALSO_AFTER = "select max(n) as max_n from {{ ref('big_sort') }}"


def test_the_sort_uses_the_temp_directory(tmp_path: Path) -> None:
    """The premise of the test below: after BIG_SORT under that limit, DuckDB refuses to set
    temp_directory again (what dbt-duckdb's per-cursor `settings` did)."""
    config = {"memory_limit": "100MB", "temp_directory": str(tmp_path / "spill")}
    with duckdb.connect(str(tmp_path / "premise.duckdb"), config=config) as con:
        con.execute(f"create table big_sort as {BIG_SORT}")
        with pytest.raises(duckdb.NotImplementedException, match="Cannot switch temporary directory"):
            con.execute(f"set temp_directory = '{tmp_path / 'spill'}'")


def test_models_after_a_spill_still_build(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "models").mkdir(parents=True)
    (project / "dbt_project.yml").write_text(PROJECT_YML)
    for name, sql in (("big_sort", BIG_SORT), ("after_spill", AFTER_SPILL), ("also_after", ALSO_AFTER)):
        (project / "models" / f"{name}.sql").write_text(sql)
    database = tmp_path / "spill.duckdb"
    temp_directory = tmp_path / "spill"
    env = os.environ | {
        "TW_TARGET": "duckdb",
        "TW_DUCKDB_PATH": str(database),
        "TW_DUCKDB_MEMORY_LIMIT": "100MB",
        "TW_DUCKDB_TEMP_DIRECTORY": str(temp_directory),
    }
    result = build_tiny_project(project, tmp_path, env)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "Cannot switch temporary directory" not in result.stdout
    with duckdb.connect(str(database), read_only=True) as con:
        assert con.execute("select row_count from after_spill").fetchone() == (4_000_000,)
        assert con.execute("select max_n from also_after").fetchone() == (3_999_999,)
