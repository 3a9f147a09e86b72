"""What BI users see is described and typed: every mart and dim has a description, an
enforced contract, persisted docs, and a description and portable data type for every column;
timestamps say they are UTC. Read from dbt's manifest (dbt parse)."""

from __future__ import annotations

import json
import re

import pytest

from orchestration import settings
from orchestration.published import PUBLISHED_RELATIONS

PORTABLE_TYPE = re.compile(r"^(string|bigint|double|timestamp|boolean|date|decimal\(\d+,\d+\))$")


@pytest.fixture(scope="module")
def marts():
    from orchestration.run import parse_dbt_project

    parse_dbt_project()
    manifest = json.loads((settings.PROJECT_DIR / "target" / "manifest.json").read_text())
    return {
        node["name"]: node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["config"].get("schema") == "marts"
    }


def test_every_published_relation_is_a_mart_and_every_mart_is_published(marts):
    assert sorted(PUBLISHED_RELATIONS) == sorted(marts)


def test_marts_have_descriptions_contracts_and_persisted_docs(marts):
    for name, node in marts.items():
        assert node["description"].strip(), name
        assert node["config"]["contract"]["enforced"], name
        assert node["config"]["persist_docs"] == {"relation": True, "columns": True}, name


def test_every_mart_column_is_described_with_a_portable_type(marts):
    problems = []
    for name, node in marts.items():
        assert node["columns"], name
        for column in node["columns"].values():
            where = f"{name}.{column['name']}"
            if not column["description"].strip():
                problems.append(f"{where}: no description")
            if not PORTABLE_TYPE.match(column["data_type"] or ""):
                problems.append(f"{where}: type {column['data_type']!r} is not portable")
            if column["data_type"] == "timestamp" and "UTC" not in column["description"]:
                problems.append(f"{where}: timestamp not documented as UTC")
            if column["name"].endswith("_at") and column["data_type"] != "timestamp":
                problems.append(f"{where}: *_at column is not a timestamp")
    assert problems == []


def test_counts_are_bigint_and_money_is_decimal(marts):
    columns = {(name, c["name"]): c["data_type"] for name, node in marts.items() for c in node["columns"].values()}
    assert columns[("mart_journey_stage_counts", "accounts_needing_sales_attention")] == "bigint"
    assert columns[("mart_journey_sequences", "occurrences_in_won")] == "bigint"
    assert columns[("fct_conversions", "revenue")] == "decimal(18,2)"
    assert columns[("mart_attribution_channels", "spend")] == "decimal(18,2)"
    assert columns[("mart_attribution_credits", "attributed_revenue")] == "decimal(18,6)"
    assert not [key for key, data_type in columns.items() if data_type == "integer"]
