"""tests/generic/key_and_required_columns.sql: a model's key and required columns in one test. It
must fail on every column with nulls and on a repeated key (simple or composite), say which
column, what failed and how many rows, and pass a clean or empty table. Built in a tiny dbt
project of its own (the project's profile, a throwaway database)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import duckdb

from orchestration import settings
from tests.python.tiny_dbt import build_tiny_project

PROJECT_YML = """
name: key_and_required_columns_check
version: "1.0"
profile: touchpoint_warehouse
model-paths: ["models"]
macro-paths: ["macros"]
flags:
  send_anonymous_usage_stats: false
models:
  key_and_required_columns_check:
    +materialized: table
data_tests:
  +store_failures: true
  +schema: audit
"""

# name: (SQL, key); every model's required columns are a, b, c
MODELS = {
    "all_filled": ("select 1 as a, 'x' as b, 2 as c union all select 2, 'x', 2", ["a"]),
    # a: 1 null row, b: 2, c: none; the key a holds no repeated value (its null row is the null check's)
    "with_nulls": (
        "select 1 as a, cast(null as varchar) as b, 1 as c union all select null, null, 2 union all select 3, 'y', 3",
        ["a"],
    ),
    # a = 1 on three rows and a = 2 on two: 5 rows share a repeated key value
    "repeated_key": (
        "select 1 as a, 'x' as b, 1 as c union all select 1, 'y', 2 union all select 1, 'z', 3"
        " union all select 2, 'x', 4 union all select 2, 'y', 5 union all select 3, 'x', 6",
        ["a"],
    ),
    # (a, b) is unique although a and b each repeat; (a, c) repeats once: 2 rows
    "composite_key_unique": (
        "select 1 as a, 'x' as b, 1 as c union all select 1, 'y', 1 union all select 2, 'x', 1",
        ["a", "b"],
    ),
    "composite_key_repeated": (
        "select 1 as a, 'x' as b, 1 as c union all select 1, 'y', 1 union all select 2, 'x', 1",
        ["a", "c"],
    ),
    # a null in a key column is a value: (1, null) twice repeats the key (and b is required)
    "null_in_key": ("select 1 as a, cast(null as varchar) as b, 1 as c union all select 1, null, 2", ["a", "b"]),
    "no_rows": ("select 1 as a, 'x' as b, 2 as c where 1 = 0", ["a"]),
}

PROPERTIES = "version: 2\nmodels:\n" + "".join(
    f"  - name: {name}\n    data_tests:\n      - key_and_required_columns:\n"
    f"          name: key_and_required_columns_{name}\n"
    f"          arguments:\n"
    f"            key: [{', '.join(key)}]\n"
    f"            column_names: [a, b, c]\n"
    for name, (_, key) in MODELS.items()
)


def test_key_and_required_columns_names_each_failure(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "models").mkdir(parents=True)
    (project / "macros").mkdir()
    shutil.copy(settings.PROJECT_DIR / "tests" / "generic" / "key_and_required_columns.sql", project / "macros")
    (project / "dbt_project.yml").write_text(PROJECT_YML)
    (project / "models" / "_models.yml").write_text(PROPERTIES)
    for name, (sql, _) in MODELS.items():
        (project / "models" / f"{name}.sql").write_text(sql)
    database = tmp_path / "check.duckdb"
    env = os.environ | {"TW_TARGET": "duckdb", "TW_DUCKDB_PATH": str(database)}
    result = build_tiny_project(project, tmp_path, env)
    assert result.returncode == 1, result.stdout[-3000:]  # the failing tests fail the build

    results = json.loads((tmp_path / "target" / "run_results.json").read_text())["results"]
    tests = {r["unique_id"].split(".")[2]: r for r in results if r["unique_id"].startswith("test.")}
    outcome = {name.removeprefix("key_and_required_columns_"): r for name, r in tests.items()}
    assert {name: (r["status"], r["failures"]) for name, r in outcome.items()} == {
        "all_filled": ("pass", 0),
        "with_nulls": ("fail", 2),  # two columns have nulls
        "repeated_key": ("fail", 1),  # one finding: the key repeats
        "composite_key_unique": ("pass", 0),
        "composite_key_repeated": ("fail", 1),
        "null_in_key": ("fail", 2),
        "no_rows": ("pass", 0),
    }
    found = {}
    with duckdb.connect(str(database), read_only=True) as con:
        for name in ("with_nulls", "repeated_key", "composite_key_repeated", "null_in_key"):
            relation = outcome[name]["relation_name"]
            found[name] = con.execute(f"select * from {relation} order by column_name").fetchall()
    assert found == {
        "with_nulls": [("a", "null", 1), ("b", "null", 2)],
        "repeated_key": [("a", "duplicate key", 5)],
        "composite_key_repeated": [("a, c", "duplicate key", 2)],
        "null_in_key": [("a, b", "duplicate key", 2), ("b", "null", 2)],
    }


def test_keys_and_required_columns_are_declared_once_per_model(manifest: dict) -> None:
    """The convention: a model's key and required columns go into its one
    key_and_required_columns test, not into dbt's per-column unique / not_null (a node each, see
    the test file), and every column it names is one of the model's declared (documented)
    columns."""
    per_column = sorted(
        node["name"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "test" and (node.get("test_metadata") or {}).get("name") in ("not_null", "unique")
    )
    assert per_column == [], "declare the key and required columns in key_and_required_columns on the model instead"
    tested_nodes = []
    for node in manifest["nodes"].values():
        if (node.get("test_metadata") or {}).get("name") != "key_and_required_columns":
            continue
        tested = manifest["nodes"][node["attached_node"]]
        kwargs = node["test_metadata"]["kwargs"]
        named = kwargs["key"] + kwargs["column_names"]
        undeclared = set(named) - set(tested["columns"])
        assert not undeclared, f"{tested['name']}: key_and_required_columns names undeclared {sorted(undeclared)}"
        assert kwargs["key"] and len(kwargs["key"]) == len(set(kwargs["key"])), tested["name"]
        if len(kwargs["key"]) == 1:  # a one-column key is required (dbt's unique + not_null)
            assert kwargs["key"][0] in kwargs["column_names"], tested["name"]
        assert len(kwargs["column_names"]) == len(set(kwargs["column_names"])), tested["name"]
        tested_nodes.append(tested["unique_id"])
    assert len(tested_nodes) == len(set(tested_nodes)), "one key_and_required_columns test per model"
    with_data = [n for n in manifest["nodes"].values() if n["resource_type"] in ("model", "seed")]
    assert sorted(tested_nodes) == sorted(n["unique_id"] for n in with_data)
