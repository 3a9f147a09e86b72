"""docs/data_contract.md is generated from contract.py and must be regenerated when it changes."""

from __future__ import annotations

from pathlib import Path

from orchestration.ingestion.contract import INTEGER, NUMBER, SOURCES, TIMESTAMP
from orchestration.ingestion.contract_doc import plausibility_rule, render
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


def test_contract_doc_lists_every_plausibility_rule() -> None:
    """Every timestamp and every number or count column has a rule, and the page lists it."""
    text = render()
    section = text.split("## Plausibility rules", 1)[1].split("\n## ", 1)[0]
    for source in SOURCES.values():
        for column in source.columns:
            if column.type in (TIMESTAMP, NUMBER, INTEGER):
                rule = plausibility_rule(column)
                assert rule, f"{source.name}.{column.name} has no plausibility rule"
                assert f"| `{source.name}` | `{column.name}` | {rule} |" in section
