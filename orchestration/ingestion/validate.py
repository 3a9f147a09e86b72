"""Validate and normalise a chunk of text values against a source's contract, vectorised.

Every row either comes out typed and normalised, or goes to quarantine with the first problem
found (columns in contract order, then the one-of rule).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pandas as pd

from orchestration.ingestion.columns import match_columns
from orchestration.ingestion.contract import (
    BOOLEAN,
    DATE,
    EMAIL,
    INTEGER,
    JSON,
    NUMBER,
    STRING,
    TIMESTAMP,
    Column,
    Source,
)
from orchestration.ingestion.files import UnreadableFile
from orchestration.ingestion.plausibility import Window, window_from_env
from orchestration.ingestion.readers import MAX_JSON_DEPTH, Chunk, json_depth_exceeds
from orchestration.ingestion.reasons import reason

QUARANTINE_FIELDS = ["row_number", "field_name", "reason", "bad_value", "raw_record"]
# Lower-cased addresses: dot-separated atoms before the @, dot-separated domain labels after it.
_ATOM = r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?"
EMAIL_PATTERN = rf"{_ATOM}(?:\.{_ATOM})*@(?:{_LABEL}\.)+[a-z](?:[a-z0-9-]*[a-z0-9])"
BOOLEAN_VALUES = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}
INTEGER_LIMIT = 2.0**63

# type -> (quarantine code, what the value should be)
TYPE_PROBLEMS = {
    TIMESTAMP: ("invalid_timestamp", "is not an ISO-8601 timestamp"),
    DATE: ("invalid_date", "is not a date YYYY-MM-DD"),
    INTEGER: ("invalid_integer", "is not a whole number"),
    NUMBER: ("invalid_number", "is not a number"),
    BOOLEAN: ("invalid_boolean", "is not true/false/1/0/yes/no"),
    EMAIL: ("invalid_email", "is not an e-mail address"),
    JSON: ("invalid_json", "is not valid JSON"),
}


@dataclass
class ValidatedChunk:
    rows: pd.DataFrame  # raw-named, typed columns plus _row_number; only valid rows
    quarantine: pd.DataFrame  # QUARANTINE_FIELDS; reader rejects and invalid rows


def check_columns(source: Source, file_columns: Iterable[str], file_name: str) -> None:
    """Raise UnreadableFile when the file lacks a required column (or every one-of column)."""
    file_columns = list(file_columns)
    matches = match_columns(source, file_columns)
    found = ", ".join(file_columns[:30]) + (", ..." if len(file_columns) > 30 else "")
    missing = [column.name for column in source.columns if column.required and column.name not in matches]
    if missing:
        raise UnreadableFile(f"{file_name}: required column {', '.join(missing)} is missing (columns found: {found})")
    if source.one_of_required and not any(name in matches for name in source.one_of_required):
        names = ", ".join(source.one_of_required)
        raise UnreadableFile(f"{file_name}: needs at least one of the columns {names} (columns found: {found})")


def validate_chunk(
    source: Source, chunk: Chunk, loaded_at: datetime | None = None, window: Window | None = None
) -> ValidatedChunk:
    """Typed valid rows and quarantined rows; with loaded_at, timestamps are checked against the window."""
    frame = chunk.frame
    matches = match_columns(source, frame.columns)
    problems = pd.DataFrame({"field_name": None, "reason": None, "bad_value": None}, index=frame.index, dtype=object)
    values: dict[str, pd.Series] = {}
    present: dict[str, pd.Series] = {}
    for column in source.columns:
        text = _text(frame, matches.get(column.name))
        present[column.name] = text.notna()
        if column.required:
            detail = f"{column.name} is required"
            _add_problem(problems, text.isna(), column.name, reason("missing_required", detail), None)
        values[column.raw_name] = _convert(column, text, problems)
        _check_plausible(column, values[column.raw_name], text, problems, loaded_at, window or window_from_env())
    if source.one_of_required:
        names = ", ".join(source.one_of_required)
        none_present = ~np.logical_or.reduce([present[name] for name in source.one_of_required])
        _add_problem(problems, none_present, names, reason("missing_one_of", f"one of {names} is required"), None)

    is_bad = problems["reason"].notna()
    rows = pd.DataFrame({name: series[~is_bad] for name, series in values.items()}, index=frame.index[~is_bad])
    rows["_row_number"] = rows.index.astype("int64")
    return ValidatedChunk(rows=rows, quarantine=_quarantine_frame(chunk, problems[is_bad]))


def _text(frame: pd.DataFrame, file_column: str | None) -> pd.Series:
    """A column's text with blank values as NA; all NA when the file lacks the column."""
    if file_column is None:
        return pd.Series(pd.NA, index=frame.index, dtype="string")
    text = frame[file_column].astype("string")
    return text.where((text.str.strip() != "").fillna(False))


def _add_problem(problems: pd.DataFrame, mask: pd.Series, field: str, text: str, bad: pd.Series | None) -> None:
    """Record a problem for the masked rows that have none yet (the first problem wins)."""
    new = np.asarray(mask, dtype=bool) & problems["reason"].isna().to_numpy()
    if not new.any():
        return
    problems.loc[new, "field_name"] = field
    problems.loc[new, "reason"] = text
    if bad is not None:
        problems.loc[new, "bad_value"] = bad[new].astype(object).to_numpy()


def _convert(column: Column, text: pd.Series, problems: pd.DataFrame) -> pd.Series:
    value, invalid = CONVERTERS[column.type](text)
    if column.type in TYPE_PROBLEMS:
        code, should_be = TYPE_PROBLEMS[column.type]
        _add_problem(problems, invalid, column.name, reason(code, f"{column.name} {should_be}"), text)
    if column.accepted_values:
        value = value.astype(object).where(value.notna(), None).str.strip().str.lower()
        if column.keeps_unknown_values:  # reference data: kept, warned about in the run summary
            return value
        not_accepted = value.notna() & ~value.isin(column.accepted_values)
        detail = f"{column.name} must be one of {', '.join(column.accepted_values)}"
        _add_problem(problems, not_accepted, column.name, reason("not_accepted_value", detail), text)
    return value


def _check_plausible(
    column: Column,
    value: pd.Series,
    text: pd.Series,
    problems: pd.DataFrame,
    loaded_at: datetime | None,
    window: Window,
) -> None:
    """Plausibility rules (plausibility.py) on a column's converted values."""
    if column.minimum is not None and column.type in (NUMBER, INTEGER):
        below = (value.astype("float64") < column.minimum).fillna(False)
        detail = f"{column.name} must be at least {column.minimum:g}"
        _add_problem(problems, below, column.name, reason("below_minimum", detail), text)
    if column.type == TIMESTAMP and loaded_at is not None:
        earliest, latest = pd.Timestamp(window.earliest_at), pd.Timestamp(window.latest_at(column, loaded_at))
        too_early = (value < earliest).fillna(False)
        too_late = (value > latest).fillna(False)
        early = f"{column.name} is before {earliest.isoformat()} (earliest plausible time)"
        late = f"{column.name} is after {latest.isoformat()} (load time plus the allowed margin)"
        _add_problem(problems, too_early, column.name, reason("implausible_timestamp", early), text)
        _add_problem(problems, too_late, column.name, reason("implausible_timestamp", late), text)


def _quarantine_frame(chunk: Chunk, problems: pd.DataFrame) -> pd.DataFrame:
    bad_records = chunk.frame.loc[problems.index].astype(object)
    bad_records = bad_records.where(bad_records.notna(), None)
    raw_records = [json.dumps(record, ensure_ascii=False) for record in bad_records.to_dict(orient="records")]
    invalid = pd.DataFrame(
        {
            "row_number": problems.index.astype("int64"),
            "field_name": problems["field_name"].to_numpy(),
            "reason": problems["reason"].to_numpy(),
            "bad_value": problems["bad_value"].to_numpy(),
            "raw_record": raw_records,
        }
    )
    rejected = pd.DataFrame(
        [(r.row_number, None, r.reason, r.bad_value, r.raw_record) for r in chunk.rejected], columns=QUARANTINE_FIELDS
    )
    frames = [frame for frame in (rejected, invalid) if len(frame)]
    if not frames:
        return pd.DataFrame({name: pd.Series(dtype=object) for name in QUARANTINE_FIELDS})
    quarantine = pd.concat(frames, ignore_index=True).astype(object)
    return quarantine.where(quarantine.notna(), None).sort_values("row_number", ignore_index=True)


# --- converters: text -> (typed values, mask of present but invalid values) -------------------


def _stripped(text: pd.Series) -> pd.Series:
    """Stripped text as plain objects (NA -> NaN), which the pandas parsers read in every version."""
    return text.str.strip().astype(object).where(text.notna(), np.nan)


def _as_string(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    return text.astype(object).where(text.notna(), None), pd.Series(False, index=text.index)


def _as_email(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    email = text.str.strip().str.lower()
    valid = email.str.fullmatch(EMAIL_PATTERN).fillna(False).astype(bool)
    return email.astype(object).where(valid, None), text.notna() & ~valid


# Digits beyond microseconds: the raw layer stores microseconds, and a nanosecond value would
# switch pandas to nanosecond resolution for the whole chunk, where years after 2262 overflow.
_SUB_MICROSECONDS = r"(?<=\.\d{6})\d+"


def _as_timestamp(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """ISO-8601 to naive UTC at microsecond resolution; each value is judged on its own."""
    stripped = _stripped(text).str.replace(_SUB_MICROSECONDS, "", regex=True)
    parsed = pd.to_datetime(stripped, utc=True, format="ISO8601", errors="coerce").dt.as_unit("us")
    retry = parsed.isna() & text.notna()
    if retry.any():  # a value that failed next to others gets a second chance alone
        parsed = parsed.copy()
        alone = [_one_timestamp(value) for value in stripped[retry]]
        parsed[retry] = pd.Series(alone, index=parsed.index[retry], dtype=parsed.dtype)
    return parsed.dt.tz_convert(None), text.notna() & parsed.isna()


def _one_timestamp(value: str) -> pd.Timestamp:
    parsed = pd.to_datetime(value, utc=True, format="ISO8601", errors="coerce")
    return pd.NaT if pd.isna(parsed) else parsed.as_unit("us")


def _as_date(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    parsed = pd.to_datetime(_stripped(text), format="%Y-%m-%d", errors="coerce")
    return parsed, text.notna() & parsed.isna()


def _as_number(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    number = pd.to_numeric(_stripped(text), errors="coerce").astype("float64")
    valid = np.isfinite(number)
    return number.where(valid), text.notna() & ~valid


def _as_integer(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    number = pd.to_numeric(_stripped(text), errors="coerce")
    as_float = number.astype("float64")
    valid = np.isfinite(as_float) & (as_float % 1 == 0) & (as_float.abs() < INTEGER_LIMIT)
    integer = number.where(valid) if number.dtype.kind in "iu" else as_float.where(valid)
    return integer.astype("Int64"), text.notna() & ~valid


def _as_boolean(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    flag = _stripped(text).str.lower().map(BOOLEAN_VALUES)
    return flag.astype("boolean"), text.notna() & flag.isna()


def _is_json(text: str) -> bool:
    if json_depth_exceeds(text, MAX_JSON_DEPTH):
        return False
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return False
    return True


def _as_json(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Valid JSON text is kept as it is (objects from JSON lines and Parquet arrive compact)."""
    value = text.astype(object).where(text.notna(), None)
    valid = value.map(_is_json, na_action="ignore").fillna(False).astype(bool)
    return value.where(valid, None), text.notna() & ~valid


CONVERTERS: dict[str, Callable[[pd.Series], tuple[pd.Series, pd.Series]]] = {
    STRING: _as_string,
    EMAIL: _as_email,
    TIMESTAMP: _as_timestamp,
    DATE: _as_date,
    NUMBER: _as_number,
    INTEGER: _as_integer,
    BOOLEAN: _as_boolean,
    JSON: _as_json,
}
