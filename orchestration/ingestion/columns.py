"""Matching a file's column names to the contract's columns, and turning values into text.

A file column matches a contract column when it is spelled like the export name, like it in
another case, or like its raw name (``context.page.url``, ``Context.Page.Url``,
``context_page_url``). Columns that match nothing are ignored.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from orchestration.ingestion.contract import JSON, Column, Source, raw_name


def match_rank(file_column: str, column: Column) -> int | None:
    """How well a file column name matches a contract column: 0 exact, 1 other case, 2 raw name."""
    if file_column == column.name:
        return 0
    if file_column.lower() == column.name.lower():
        return 1
    if raw_name(file_column) == column.raw_name:
        return 2
    return None


def match_columns(source: Source, file_columns: Iterable[str]) -> dict[str, str]:
    """Export name -> the file column holding it; the best spelling wins, then the first column."""
    file_columns = list(file_columns)
    matches: dict[str, str] = {}
    for column in source.columns:
        ranked = [
            (rank, position, file_column)
            for position, file_column in enumerate(file_columns)
            if (rank := match_rank(file_column, column)) is not None
        ]
        if ranked:
            matches[column.name] = min(ranked)[2]
    return matches


def json_column_matcher(source: Source) -> Callable[[str], bool]:
    """Whether a (dotted) path names one of the source's JSON columns, which are kept whole."""
    json_columns = [column for column in source.columns if column.type == JSON]
    seen: dict[str, bool] = {}

    def is_json_column(path: str) -> bool:
        if path not in seen:
            seen[path] = any(match_rank(path, column) is not None for column in json_columns)
        return seen[path]

    return is_json_column


def to_text(value: Any) -> str | None:
    """A parsed value as the text the validator reads: JSON spelling for non-strings."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=str)


def flatten(record: dict[str, Any], keep_whole: Callable[[str], bool], prefix: str = "") -> dict[str, str | None]:
    """Nested objects flattened with '.' (``{"a": {"b": 1}}`` -> ``{"a.b": "1"}``), values as text."""
    flat: dict[str, str | None] = {}
    for key, value in record.items():
        path = prefix + key
        if value is None or isinstance(value, str):  # the common case, kept fast
            flat[path] = value
        elif isinstance(value, dict) and value and not keep_whole(path):
            flat.update(flatten(value, keep_whole, path + "."))
        else:
            flat[path] = to_text(value)
    return flat
