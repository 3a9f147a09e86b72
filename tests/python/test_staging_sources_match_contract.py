"""The dbt sources of the staging layer describe exactly the raw tables that ingestion creates."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from orchestration.ingestion.contract import LINEAGE_COLUMNS, SOURCES
from orchestration.ingestion.raw_tables import MANIFEST_COLUMNS, QUARANTINE_COLUMNS

STAGING_DIR = Path(__file__).resolve().parents[2] / "models" / "staging"


def _dbt_source_tables() -> dict[tuple[str, str], dict]:
    tables = {}
    for path in sorted(STAGING_DIR.glob("*/_*__sources.yml")):
        for source in yaml.safe_load(path.read_text())["sources"]:
            for table in source["tables"]:
                tables[(source["name"], table.get("identifier", table["name"]))] = source | {"table": table}
    return tables


@pytest.mark.parametrize("source_name", sorted(SOURCES))
def test_every_contract_source_is_a_dbt_source_with_all_raw_columns(source_name: str) -> None:
    contract = SOURCES[source_name]
    declared = _dbt_source_tables()[(contract.system, contract.table)]
    expected = [column.raw_name for column in contract.columns] + list(LINEAGE_COLUMNS)
    assert declared["schema"] == "raw"
    assert [column["name"] for column in declared["table"]["columns"]] == expected
    assert declared["config"]["loaded_at_field"] == "_loaded_at"


def test_ingestion_bookkeeping_tables_are_dbt_sources() -> None:
    tables = _dbt_source_tables()
    manifest = tables[("ingestion", "load_manifest")]["table"]
    quarantine = tables[("ingestion", "quarantine")]["table"]
    assert [column["name"] for column in manifest["columns"]] == list(MANIFEST_COLUMNS)
    assert [column["name"] for column in quarantine["columns"]] == list(QUARANTINE_COLUMNS)


def test_no_dbt_source_without_a_raw_table() -> None:
    raw_tables = {(s.system, s.table) for s in SOURCES.values()} | {
        ("ingestion", "load_manifest"),
        ("ingestion", "quarantine"),
    }
    assert set(_dbt_source_tables()) == raw_tables
