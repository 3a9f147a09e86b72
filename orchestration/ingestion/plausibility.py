"""Plausibility rules: values that parse but cannot be true are quarantined, not loaded.

A form submitted in 2100 or a won deal of -50,000 passes every type check, yet one such row
moves every journey's "as of" time or breaks revenue reconciliation for everybody. The rules:

- a timestamp before the earliest plausible time (``TW_EARLIEST_AT``, default
  ``DEFAULT_EARLIEST_AT``) is quarantined;
- a timestamp more than the future margin ahead of the load (``TW_FUTURE_MARGIN_HOURS``, default
  ``DEFAULT_FUTURE_MARGIN_HOURS``; a column may allow more, e.g. a meeting's scheduled start) is
  quarantined;
- a number below its column's minimum (amounts, counts and durations cannot be negative) is
  quarantined.

The columns each rule applies to are in contract.py and listed in docs/data_contract.md.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timedelta

from orchestration.ingestion.contract import Column

DEFAULT_EARLIEST_AT = "2000-01-01"
DEFAULT_FUTURE_MARGIN_HOURS = 24.0
EARLIEST_AT_VARIABLE = "TW_EARLIEST_AT"
FUTURE_MARGIN_VARIABLE = "TW_FUTURE_MARGIN_HOURS"


@dataclass(frozen=True)
class Window:
    """Timestamps outside [earliest_at, load time + margin] are implausible (naive UTC)."""

    earliest_at: datetime
    future_margin: timedelta

    def latest_at(self, column: Column, loaded_at: datetime) -> datetime:
        if column.future_days is not None:
            return loaded_at + max(self.future_margin, timedelta(days=column.future_days))
        return loaded_at + self.future_margin


def window_from_env() -> Window:
    """The plausibility window from the environment, with the documented defaults."""
    earliest_text = os.environ.get(EARLIEST_AT_VARIABLE) or DEFAULT_EARLIEST_AT
    margin_text = os.environ.get(FUTURE_MARGIN_VARIABLE) or str(DEFAULT_FUTURE_MARGIN_HOURS)
    try:
        earliest_at = datetime.fromisoformat(earliest_text.replace("Z", "+00:00"))
    except ValueError as error:
        raise ValueError(f"{EARLIEST_AT_VARIABLE}={earliest_text!r} is not an ISO-8601 date or time") from error
    if earliest_at.tzinfo is not None:
        earliest_at = (earliest_at - earliest_at.utcoffset()).replace(tzinfo=None)
    try:
        margin_hours = float(margin_text)
    except ValueError as error:
        raise ValueError(f"{FUTURE_MARGIN_VARIABLE}={margin_text!r} is not a number of hours") from error
    if margin_hours < 0:
        raise ValueError(f"{FUTURE_MARGIN_VARIABLE}={margin_text!r} must not be negative")
    return Window(earliest_at=earliest_at, future_margin=timedelta(hours=margin_hours))
