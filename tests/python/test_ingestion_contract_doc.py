"""docs/data_contract.md is generated from contract.py and must be regenerated when it changes."""

from __future__ import annotations

from pathlib import Path

from orchestration.ingestion.contract import SOURCES
from orchestration.ingestion.contract_doc import render
from orchestration.ingestion.reasons import REASONS

DOC = Path(__file__).resolve().parents[2] / "docs" / "data_contract.md"


def test_committed_contract_doc_is_up_to_date() -> None:
    assert DOC.read_text(encoding="utf-8") == render(), (
        "docs/data_contract.md is out of date: run "
        "`python -m orchestration.ingestion.contract_doc > docs/data_contract.md`"
    )


def test_contract_doc_covers_every_source_column_and_reason() -> None:
    text = render()
    for source in SOURCES.values():
        assert f"### `{source.name}`" in text
        for column in source.columns:
            assert f"| `{column.name}` | `{column.raw_name}` | {column.type} |" in text
    for code in REASONS:
        assert f"| `{code}` |" in text
