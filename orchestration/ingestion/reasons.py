"""Why a row was quarantined: a short code, stored as ``code: readable detail``."""

from __future__ import annotations

# code -> what it means (docs/data_contract.md lists these).
REASONS = {
    "wrong_field_count": "A CSV row has more or fewer fields than the header.",
    "malformed_json": "A JSON line does not parse, or is not a JSON object.",
    "json_too_deep": "A JSON line nests objects or arrays deeper than the limit (64 levels).",
    "missing_required": "A required column is empty or absent in the row.",
    "missing_one_of": "None of the columns of which at least one is required has a value.",
    "invalid_timestamp": "Not an ISO-8601 timestamp (e.g. 2026-03-04T09:15:02+01:00); judged value by value.",
    "invalid_date": "Not a date in the form YYYY-MM-DD.",
    "invalid_integer": "Not a whole number (or out of the 64-bit range).",
    "invalid_number": "Not a finite decimal number.",
    "invalid_boolean": "Not one of true/false, 1/0, yes/no.",
    "invalid_email": "Not an e-mail address: local@domain, no spaces, no leading, trailing or double dots, "
    "domain labels of letters, digits and inner hyphens, a top-level domain of 2+ characters starting with a letter.",
    "invalid_json": "Not valid JSON text, or nested deeper than the limit (64 levels).",
    "not_accepted_value": "Not one of the column's accepted values.",
    "implausible_timestamp": "A timestamp before the earliest plausible time or too far ahead of the load time "
    "(see Plausibility rules).",
    "erased_person": "The row names a person erased with `python -m orchestration.erase`; only the row number is kept.",
    "below_minimum": "A number below the column's minimum, e.g. a negative amount (see Plausibility rules).",
}


def reason(code: str, detail: str) -> str:
    """The stored reason text, e.g. ``invalid_email: 'ana@' is not an e-mail address``."""
    if code not in REASONS:
        raise ValueError(f"unknown quarantine reason {code!r}")
    return f"{code}: {detail}"


def quoted(value: str | None, limit: int = 80) -> str:
    """A bad value for a readable message, shortened."""
    if value is None:
        return "null"
    return repr(value if len(value) <= limit else value[:limit] + "...")
