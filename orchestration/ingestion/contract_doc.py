"""Write docs/data_contract.md from the contract: python -m orchestration.ingestion.contract_doc > docs/data_contract.md

The page is generated so it cannot drift from contract.py; a test compares the committed page
with this output.
"""

from __future__ import annotations

import csv
import io
import json

from orchestration.ingestion.contract import SOURCES, TIMESTAMP, Column, Source
from orchestration.ingestion.files import FORMATS_BY_EXTENSION, GZIP_EXTENSION
from orchestration.ingestion.plausibility import (
    DEFAULT_EARLIEST_AT,
    DEFAULT_FUTURE_MARGIN_HOURS,
    EARLIEST_AT_VARIABLE,
    FUTURE_MARGIN_VARIABLE,
)
from orchestration.ingestion.raw_tables import MANIFEST_COLUMNS, QUARANTINE_COLUMNS
from orchestration.ingestion.reasons import REASONS

TYPE_RULES = {
    "string": ("any text", "as given; an empty value is null"),
    "timestamp": (
        "ISO-8601 with or without offset: `2026-03-04T09:15:02+01:00`, `2026-03-04T08:15:02Z`, "
        "`2025-11-02T10:00:00.000+0000`, `2026-03-04 08:15:02`, `2026-03-04`",
        "UTC `TIMESTAMP` (no offset means UTC), microseconds (further digits are dropped); each value "
        "is judged on its own",
    ),
    "date": ("`YYYY-MM-DD`", "`DATE`"),
    "integer": ("a whole number (`420`, `420.0`)", "`BIGINT`"),
    "number": ("a decimal number (`412.5`, `1e3`)", "`DOUBLE`"),
    "boolean": ("`true`/`false`, `1`/`0`, `yes`/`no`, any case", "`BOOLEAN`"),
    "email": (
        "`local@domain`: no spaces, no leading, trailing or double dots; domain labels of letters, digits "
        "and inner hyphens; a top-level domain of 2+ characters starting with a letter",
        "trimmed and lower-cased text",
    ),
    "json": ("a JSON object (JSON lines, Parquet struct) or its JSON text (CSV)", "JSON text"),
}

MANIFEST_DOCS = {
    "file_name": "Name of the landing file.",
    "file_hash": "sha256 of the file's bytes; with `source_name` the identity of a load.",
    "source_name": "Source from the file-name prefix; null when the prefix is unknown.",
    "size_bytes": "File size in bytes.",
    "rows_read": "Data rows in the file (header and blank lines not counted).",
    "rows_loaded": "Rows written to `raw.<source>`.",
    "rows_quarantined": "Rows written to `raw.quarantine`; rows_read = rows_loaded + rows_quarantined.",
    "status": "`loaded`; `failed` when the file could not be read (no rows kept, retried next run); "
    "`conflict` when a file of this name was loaded before with other content (not loaded).",
    "error": "Why the file failed, naming the file (and the column where relevant).",
    "loaded_at": "UTC time of the load attempt.",
    "warnings": "What the reader chose silently before (a duplicate header column ignored), one per line.",
}

QUARANTINE_DOCS = {
    "file_name": "Landing file the row came from.",
    "file_hash": "sha256 of that file (joins to `raw.load_manifest`).",
    "source_name": "Source of the file.",
    "row_number": "1-based data row in the file (header and blank lines not counted).",
    "field_name": "Export name of the column at fault; null for a row that could not be split into fields.",
    "reason": "`code: readable detail`, e.g. `invalid_email: recipient is not an e-mail address`.",
    "bad_value": "The offending value as text (the whole line for `malformed_json`).",
    "raw_record": "The row as JSON text: an object of its fields as read (the list of fields for "
    "`wrong_field_count`, the line as a JSON string for `malformed_json`).",
    "quarantined_at": "UTC time of the load.",
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join("---" for _ in header) + " |"]
    return lines + ["| " + " | ".join(_cell(value) for value in row) + " |" for row in rows]


def _columns_table(columns: dict[str, str], docs: dict[str, str]) -> list[str]:
    rows = [[f"`{name}`", type_, docs[name]] for name, type_ in columns.items()]
    return _table(["column", "type", "description"], rows)


def _column_row(column: Column) -> list[str]:
    values = ", ".join(f"`{value}`" for value in column.accepted_values)
    if values and column.keeps_unknown_values:
        values += " (others kept, with a warning)"
    return [
        f"`{column.name}`",
        f"`{column.raw_name}`",
        column.type,
        "required" if column.required else "optional",
        values,
        column.description,
    ]


def plausibility_rule(column: Column) -> str | None:
    """The column's plausibility rule in words, or None."""
    if column.type == TIMESTAMP:
        ahead = (
            f"{column.future_days:g} days" if column.future_days is not None else f"`{FUTURE_MARGIN_VARIABLE}` hours"
        )
        return f"not before `{EARLIEST_AT_VARIABLE}`, not more than {ahead} after the load (`implausible_timestamp`)"
    if column.minimum is not None:
        return f"at least {column.minimum:g} (`below_minimum`)"
    return None


def _plausibility_section() -> list[str]:
    rows = [
        [f"`{source.name}`", f"`{column.name}`", rule]
        for source in SOURCES.values()
        for column in source.columns
        if (rule := plausibility_rule(column))
    ]
    return [
        "## Plausibility rules",
        "",
        "Values that parse but cannot be true are quarantined like any other bad value, so one bad",
        "row never moves every journey or blocks publishing for everybody (orchestration/ingestion/",
        "plausibility.py). The window is configured by environment variables:",
        "",
        f"- `{EARLIEST_AT_VARIABLE}`: earliest plausible time, ISO-8601 (default `{DEFAULT_EARLIEST_AT}`, UTC).",
        f"- `{FUTURE_MARGIN_VARIABLE}`: how many hours a timestamp may lie ahead of the load time (default",
        f"  `{DEFAULT_FUTURE_MARGIN_HOURS:g}`); a column that allows more says so below. Dates (`date` type, such",
        "  as an expected close date) are not checked.",
        "",
        *_table(["source", "column", "rule"], rows),
        "",
    ]


def _example_csv(source: Source) -> str | None:
    """The example as CSV when it is flat (nested examples are shown as JSON only)."""
    if any(isinstance(value, dict | list) for value in source.example.values()):
        return None
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(source.example.keys())
    writer.writerow(_csv_value(value) for value in source.example.values())
    return buffer.getvalue().rstrip("\n")


def _csv_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _source_section(source: Source) -> list[str]:
    lines = [
        f"### `{source.name}`",
        "",
        source.description,
        "",
        f"- Files: `{source.name}.<ext>` or `{source.name}_<anything>.<ext>` (`-` and `.` work as well as `_`)",
        f"- Raw table: `raw.{source.table}` (dbt source `{source.system}`)",
        f"- Primary key: {', '.join(f'`{name}`' for name in source.primary_key)}",
    ]
    if source.one_of_required:
        names = ", ".join(f"`{name}`" for name in source.one_of_required)
        lines.append(f"- At least one of {names} must have a value in every row")
    lines += [
        "",
        *_table(
            ["export name", "raw name", "type", "required", "accepted values", "description"],
            [_column_row(column) for column in source.columns],
        ),
    ]
    for note in source.notes:
        lines += ["", note]
    lines += ["", "Example row (JSON lines):", "", "```json", json.dumps(source.example, indent=2), "```"]
    example_csv = _example_csv(source)
    if example_csv:
        lines += ["", "The same row as CSV:", "", "```csv", example_csv, "```"]
    return [*lines, ""]


def render() -> str:
    extensions = ", ".join(f"`{extension}`" for extension in FORMATS_BY_EXTENSION)
    lines = [
        "# Data contract: landing files",
        "",
        "<!-- Generated from orchestration/ingestion/contract.py by",
        "     `python -m orchestration.ingestion.contract_doc > docs/data_contract.md`. Do not edit by hand:",
        "     change contract.py and regenerate (a test fails when this page is out of date). -->",
        "",
        "Exports are dropped as files into the landing folder. Ingestion validates every row against",
        "this contract, loads valid rows into the DuckDB schema `raw` (one table per source) and puts",
        "every other row into `raw.quarantine` with the reason. Each file is recorded in",
        "`raw.load_manifest`.",
        "",
        "## Files",
        "",
        "- **Name**: the file name starts with the source name, followed by `_`, `-` or `.`:",
        "  `web_events_2026-03-04.jsonl.gz`, `crm_accounts.csv`. The longest matching source name wins",
        "  (`crm_opportunity_history_1.csv` is `crm_opportunity_history`); case does not matter. A file",
        "  whose name matches no source fails with `unknown source prefix`.",
        f"- **Formats**: by extension {extensions}, each optionally compressed with `{GZIP_EXTENSION}`.",
        "  Other extensions fail with `unsupported file type`.",
        "- **Where**: files directly in the landing folder; sub-folders are not searched and hidden",
        "  files (`.name`, e.g. uploads in progress) are ignored. Files load in file-name order.",
        "  Symbolic links and anything that is not a regular file inside the folder are `refused`: never",
        "  opened, reported in the run's summary, not recorded in the manifest.",
        "- **Once**: a file is identified by its source and the sha256 of its content. Content that a",
        "  source loaded before is skipped, whatever the file's name. Every attempt is a manifest row.",
        "  A file that changes after it was loaded is a `conflict`: recorded, not loaded again. A",
        "  corrected export must come under a new name (staging keeps the most recently loaded row per",
        "  key). A file that failed is tried again on the next run.",
        "- **Complete files only**: a file modified less than `TW_SETTLE_SECONDS` ago (default 30) may",
        "  still be being written and waits for a later run, as do hidden files: upload as `.name` and",
        "  rename when complete. A file whose size or modification time changes while it is read is",
        "  rolled back and retried.",
        "- **All or nothing**: a file's rows, quarantined rows and manifest row are written in one",
        "  transaction. A file that cannot be read at all (not the format its extension says, truncated",
        "  gzip, not UTF-8, a required column missing) is recorded as `failed` and none of its rows are",
        "  kept; the other files still load.",
        "",
        "## Reading rules",
        "",
        "- **CSV**: UTF-8 (a byte-order mark is fine), comma-separated, double-quoted where needed, first",
        "  row is the header. An empty field is null. A row with more or fewer fields than the header is",
        "  quarantined (`wrong_field_count`). A header name given twice: the first column is read and a",
        "  warning is recorded in the manifest's `warnings`.",
        "- **JSON lines** (`.jsonl`, `.ndjson`, `.json`): one JSON object per line. Nested objects are",
        '  flattened with `.` (`{"context": {"page": {"url": ...}}}` is column `context.page.url`),',
        "  except columns of type `json`, which are kept whole. A line that does not parse is",
        "  quarantined (`malformed_json`) and the rest of the file loads; a file in which no line is a",
        "  JSON object fails. A required column must appear in at least one line of the file. A line",
        "  nesting objects or arrays deeper than 64 levels is quarantined (`json_too_deep`). A file whose",
        "  first line starts with `[` is a JSON array, not JSON lines, and fails as a whole (a partly",
        "  loaded array would drop objects silently).",
        "- **Parquet**: struct columns are flattened like JSON objects; typed values (timestamps, numbers,",
        "  booleans) are accepted as well as text.",
        "- **Column names**: a column matches by its export name, in any case (`messageid`), or by its",
        "  raw name (`message_id`, `context_page_url`). Columns not in the contract are ignored. Optional",
        "  columns may be left out (they load as null); a missing required column fails the file.",
        "- **Blank values**: an empty or all-space value is null.",
        "- **Row numbers**: `_row_number` / `row_number` is the 1-based data row in the file; the header",
        "  and blank lines are not counted.",
        "",
        "## Types",
        "",
        *_table(["type", "accepted", "stored as"], [[name, *rule] for name, rule in TYPE_RULES.items()]),
        "",
        "Columns with accepted values are compared and stored lower-cased. A value outside them",
        "quarantines the row, except in reference data columns marked *others kept*: there the row",
        "loads with the value as it is and the run summary counts it as a warning (a catalog page",
        "of a new content type keeps its word count instead of losing the whole row).",
        "",
        "## Quarantine reasons",
        "",
        "A row goes to `raw.quarantine` with the first problem found (columns in contract order, then",
        "the one-of rule). `reason` is stored as `code: readable detail`.",
        "",
        *_table(["code", "meaning"], [[f"`{code}`", text] for code, text in REASONS.items()]),
        "",
        *_plausibility_section(),
        "## Load manifest: `raw.load_manifest`",
        "",
        "One row per load attempt; at most one `loaded` row per source and content hash.",
        "",
        *_columns_table(MANIFEST_COLUMNS, MANIFEST_DOCS),
        "",
        "## Quarantined rows: `raw.quarantine`",
        "",
        *_columns_table(QUARANTINE_COLUMNS, QUARANTINE_DOCS),
        "",
        "## Raw tables",
        "",
        "Each raw table has the source's columns under their raw names, typed as above, plus",
        "`_file_name`, `_file_hash`, `_row_number` and `_loaded_at` (UTC).",
        "",
        "## Sources",
        "",
        *_table(
            ["source", "dbt source", "primary key", "description"],
            [
                [f"`{s.name}`", s.system, ", ".join(f"`{k}`" for k in s.primary_key), s.description]
                for s in SOURCES.values()
            ],
        ),
        "",
    ]
    for source in SOURCES.values():
        lines += _source_section(source)
    return "\n".join(lines).rstrip("\n") + "\n"


if __name__ == "__main__":
    print(render(), end="")
