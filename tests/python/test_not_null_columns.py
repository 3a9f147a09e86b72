"""tests/generic/not_null_columns.sql: one test for all required columns of a model. It must fail
on every column with nulls, say which column and how many rows, and pass a full or empty table.
Built in a tiny dbt project of its own (the project's profile, a throwaway database)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import duckdb

from orchestration import settings
from tests.python.tiny_dbt import build_tiny_project

PROJECT_YML = """
name: not_null_columns_check
version: "1.0"
profile: touchpoint_warehouse
model-paths: ["models"]
macro-paths: ["macros"]
flags:
  send_anonymous_usage_stats: false
models:
  not_null_columns_check:
    +materialized: table
data_tests:
  +store_failures: true
  +schema: audit
"""

MODELS = {
    "all_filled": "select 1 as a, 'x' as b, 2 as c",
    # a: 1 null row, b: 2, c: none
    "with_nulls": (
        "select 1 as a, cast(null as varchar) as b, 1 as c union all select null, null, 2 union all select 3, 'y', 3"
    ),
    "no_rows": "select 1 as a, 'x' as b, 2 as c where 1 = 0",
}

PROPERTIES = "version: 2\nmodels:\n" + "".join(
    f"  - name: {name}\n    data_tests:\n      - not_null_columns:\n          name: not_null_columns_{name}\n"
    f"          arguments:\n"
    f"            column_names: [a, b, c]\n"
    for name in MODELS
)


def test_not_null_columns_names_each_column_with_nulls(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "models").mkdir(parents=True)
    (project / "macros").mkdir()
    shutil.copy(settings.PROJECT_DIR / "tests" / "generic" / "not_null_columns.sql", project / "macros")
    (project / "dbt_project.yml").write_text(PROJECT_YML)
    (project / "models" / "_models.yml").write_text(PROPERTIES)
    for name, sql in MODELS.items():
        (project / "models" / f"{name}.sql").write_text(sql)
    database = tmp_path / "check.duckdb"
    env = os.environ | {"TW_TARGET": "duckdb", "TW_DUCKDB_PATH": str(database)}
    result = build_tiny_project(project, tmp_path, env)
    assert result.returncode == 1, result.stdout[-3000:]  # the one failing test fails the build

    results = json.loads((tmp_path / "target" / "run_results.json").read_text())["results"]
    tests = {r["unique_id"].split(".")[2]: r for r in results if r["unique_id"].startswith("test.")}
    outcome = {name.removeprefix("not_null_columns_"): r for name, r in tests.items()}
    assert {name: (r["status"], r["failures"]) for name, r in outcome.items()} == {
        "all_filled": ("pass", 0),
        "with_nulls": ("fail", 2),  # two columns have nulls
        "no_rows": ("pass", 0),
    }
    failing = outcome["with_nulls"]["relation_name"]
    with duckdb.connect(str(database), read_only=True) as con:
        rows = con.execute(f"select column_name, null_rows from {failing} order by column_name").fetchall()
    assert rows == [("a", 1), ("b", 2)]


def test_required_columns_are_declared_once_per_model(manifest: dict) -> None:
    """The convention: required columns go into their model's not_null_columns list, not into
    dbt's per-column not_null (a node each, see the test file), and every listed column is one
    of the model's declared (documented) columns."""
    per_column = sorted(
        node["name"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "test" and (node.get("test_metadata") or {}).get("name") == "not_null"
    )
    assert per_column == [], "use not_null_columns on the model instead"
    checked = 0
    for node in manifest["nodes"].values():
        if (node.get("test_metadata") or {}).get("name") != "not_null_columns":
            continue
        tested = manifest["nodes"][node["attached_node"]]
        listed = node["test_metadata"]["kwargs"]["column_names"]
        undeclared = set(listed) - set(tested["columns"])
        assert not undeclared, f"{tested['name']}: not_null_columns lists undeclared {sorted(undeclared)}"
        assert len(listed) == len(set(listed)), tested["name"]
        checked += 1
    assert checked > 50  # the project's models and seeds, not an empty manifest
