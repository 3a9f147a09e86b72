"""Deliberately malformed rows, so the quarantine and failed-file paths run in every demo.

A faulty row is always an *extra* row (a corrupted copy of a real row under a new primary key),
never a real row corrupted: with or without faults the clean data tells the same story.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator

from orchestration.demo_data.writers import RawLine, csv_line

FAULT_RATE = 0.005  # share of extra malformed rows in a file with faults

# (fault kind, column) per source; the kinds cycle through the faulty rows of a file.
FAULTS: dict[str, tuple[tuple[str, str | None], ...]] = {
    "web_events": (
        ("bad_timestamp", "timestamp"),
        ("missing_required", "messageId"),
        ("malformed_json", None),
        ("unknown_enum", "type"),
        ("missing_required", "anonymousId"),
    ),
    "email_events": (("bad_timestamp", "timestamp"), ("invalid_email", "recipient"), ("unknown_enum", "event_type")),
    "form_submissions": (("invalid_email", "email"), ("missing_required", "submitted_at"), ("malformed_json", None)),
    "meetings": (("unknown_enum", "status"), ("wrong_field_count", None), ("bad_timestamp", "start_at")),
    "webinar_attendance": (("non_numeric", "minutes_attended"), ("wrong_field_count", None)),
    "crm_opportunity_history": (("non_numeric", "Amount"),),
    "calls": (("unknown_enum", "direction"), ("bad_timestamp", "started_at")),
}
_BAD_VALUES = {
    "bad_timestamp": ("2026-02-30T25:61:00Z", "yesterday", "31/10/2026 10:00"),
    "invalid_email": ("ana.lopez(at)acme.io", "no-email-given", "li.wei@localhost"),
    "non_numeric": ("n/a", "12,5k", "forty"),
    "unknown_enum": ("rescheduled", "screen", "forwarded"),
}


def corrupt(
    row: dict, kind: str, column: str | None, key: str, serial: int, columns: list[str] | None
) -> dict | RawLine:
    """A corrupted copy of ``row`` with primary key column ``key`` made unique by ``serial``."""
    bad = dict(row)
    bad[key] = f"{row[key]}-bad{serial}"
    if kind == "malformed_json":
        text = json.dumps(bad, separators=(",", ":"))
        return RawLine(text[: len(text) // 2])
    if kind == "wrong_field_count":
        assert columns is not None
        return RawLine(csv_line([bad.get(c) for c in columns] + ["unexpected extra field"]).rstrip("\n"))
    assert column is not None
    if kind == "missing_required":
        bad.pop(column, None)
        if column == "anonymousId":  # Segment needs anonymousId or userId: drop both
            bad.pop("userId", None)
        if columns is not None:  # a CSV keeps the column, empty
            bad[column] = None
        return bad
    choices = _BAD_VALUES[kind]
    bad[column] = choices[serial % len(choices)]
    return bad


def with_faults(
    source: str, rows: list[dict], key: str, seed: int, columns: list[str] | None = None
) -> Iterator[dict | RawLine]:
    """Rows with about FAULT_RATE extra malformed rows mixed in (at least one per fault kind)."""
    kinds = FAULTS[source]
    if not rows:
        yield from rows
        return
    rng = random.Random(f"{seed}:faults:{source}")
    count = min(len(rows), max(len(kinds), round(FAULT_RATE * len(rows))))
    after = sorted(rng.sample(range(len(rows)), count))
    serial = 0
    for index, row in enumerate(rows):
        yield row
        while serial < count and after[serial] == index:
            kind, column = kinds[serial % len(kinds)]
            yield corrupt(row, kind, column, key, serial, columns)
            serial += 1


def count_faults(source: str, rows: int) -> int:
    """How many malformed rows with_faults adds to a file of ``rows`` rows."""
    if not rows:
        return 0
    return min(rows, max(len(FAULTS[source]), round(FAULT_RATE * rows)))
