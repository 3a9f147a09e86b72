"""Write docs/data_contract.md from the contract: python -m orchestration.ingestion.contract_doc > docs/data_contract.md

The page is generated so it cannot drift from contract.py; a test compares the committed page
with this output.
"""

from __future__ import annotations

import csv
import io
import json

from orchestration.ingestion.contract import SOURCES, Column, Source
from orchestration.ingestion.files import FORMATS_BY_EXTENSION, GZIP_EXTENSION
from orchestration.ingestion.raw_tables import MANIFEST_COLUMNS, QUARANTINE_COLUMNS
from orchestration.ingestion.reasons import REASONS

TYPE_RULES = {
    "string": ("any text", "as given; an empty value is null"),
    "timestamp": (
        "ISO-8601 with or without offset: `2026-03-04T09:15:02+01:00`, `2026-03-04T08:15:02Z`, "
        "`2025-11-02T10:00:00.000+0000`, `2026-03-04 08:15:02`, `2026-03-04`",
        "UTC `TIMESTAMP` (no offset means UTC)",
    ),
    "date": ("`YYYY-MM-DD`", "`DATE`"),
    "integer": ("a whole number (`420`, `420.0`)", "`BIGINT`"),
    "number": ("a decimal number (`412.5`, `1e3`)", "`DOUBLE`"),
    "boolean": ("`true`/`false`, `1`/`0`, `yes`/`no`, any case", "`BOOLEAN`"),
    "email": ("one `@` with a dot after it, no spaces", "trimmed and lower-cased text"),
    "json": ("a JSON object (JSON lines, Parquet struct) or its JSON text (CSV)", "JSON text"),
}

MANIFEST_DOCS = {
    "file_name": "Name of the landing file.",
    "file_hash": "sha256 of the file's bytes: the identity of a load (one row per hash).",
    "source_name": "Source from the file-name prefix; null when the prefix is unknown.",
    "size_bytes": "File size in bytes.",
    "rows_read": "Data rows in the file (header and blank lines not counted).",
    "rows_loaded": "Rows written to `raw.<source>`.",
    "rows_quarantined": "Rows written to `raw.quarantine`; rows_read = rows_loaded + rows_quarantined.",
    "status": "`loaded`, or `failed` when the file could not be read (no rows kept).",
    "error": "Why the file failed, naming the file (and the column where relevant).",
    "loaded_at": "UTC time of the load attempt.",
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
    lines += ["", *_table(
        ["export name", "raw name", "type", "required", "accepted values", "description"],
        [_column_row(column) for column in source.columns],
    )]
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
        "- **Once**: a file is identified by the sha256 of its content. Content that was loaded before",
        "  is skipped, whatever the file's name. A corrected file under the same name is new content",
        "  and loads again (staging keeps the most recently loaded row per key). A file that failed is",
        "  tried again on the next run.",
        "- **All or nothing**: a file's rows, quarantined rows and manifest row are written in one",
        "  transaction. A file that cannot be read at all (not the format its extension says, truncated",
        "  gzip, not UTF-8, a required column missing) is recorded as `failed` and none of its rows are",
        "  kept; the other files still load.",
        "",
        "## Reading rules",
        "",
        "- **CSV**: UTF-8 (a byte-order mark is fine), comma-separated, double-quoted where needed, first",
        "  row is the header. An empty field is null. A row with more or fewer fields than the header is",
        "  quarantined (`wrong_field_count`).",
        "- **JSON lines** (`.jsonl`, `.ndjson`, `.json`): one JSON object per line. Nested objects are",
        "  flattened with `.` (`{\"context\": {\"page\": {\"url\": ...}}}` is column `context.page.url`),",
        "  except columns of type `json`, which are kept whole. A line that does not parse is",
        "  quarantined (`malformed_json`) and the rest of the file loads; a file in which no line is a",
        "  JSON object fails. A required column must appear in at least one line of the file.",
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
        "## Load manifest: `raw.load_manifest`",
        "",
        "One row per file content (hash).",
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
