"""The short report printed after a run, read from the warehouse the run produced."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from orchestration import settings
from orchestration.ingestion.contract import SOURCES
from orchestration.metrics import SavedQueryError, run_saved_query
from orchestration.test_failures import newest_run_results


def _table_exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    schema, _, table = name.rpartition(".")
    query = "select count(*) from information_schema.tables where table_name = ?"
    params = [table]
    if schema:
        query += " and table_schema = ?"
        params.append(schema)
    return con.execute(query, params).fetchone()[0] > 0


def _print_rows(title: str, con: duckdb.DuckDBPyConnection, sql: str) -> None:
    cursor = con.execute(sql)
    columns = [description[0] for description in cursor.description]
    _print_table(title, columns, cursor.fetchall())


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}"
    return "" if value is None else str(value)


RESULT_LABELS = {
    ("model", "success"): "models built",
    ("model", "error"): "models failed",
    ("seed", "success"): "seeds loaded",
    ("test", "pass"): "tests passed",
    ("unit_test", "pass"): "tests passed",
    ("test", "fail"): "tests failed",
    ("test", "error"): "tests failed",
    ("unit_test", "fail"): "tests failed",
    ("unit_test", "error"): "tests failed",
    ("test", "warn"): "tests warned",
}


def dbt_result_counts(project_dir: Path, since: float = 0.0) -> dict[str, int] | None:
    """Models built and tests passed/failed in the newest dbt invocation written after `since`
    (a time.time() value), or None when dbt wrote no results since then.

    dagster-dbt gives each invocation its own folder under target/, so take the newest
    run_results.json found there.
    """
    newest = newest_run_results(project_dir / "target", since)
    if newest is None:
        return None
    counts = dict.fromkeys(RESULT_LABELS.values(), 0)
    for result in json.loads(newest.read_text())["results"]:
        label = RESULT_LABELS.get((result["unique_id"].split(".")[0], result["status"]))
        if label:
            counts[label] += 1
    return counts


# Sections printed when the models behind them exist: (title, table, query); {marts} and
# {intermediate} are those layers' schemas.
REPORTS = (
    (
        "Heartbeats matching no page view (counted here, not used for engaged time)",
        "{intermediate}.int_heartbeats_assigned",
        """select count(*) as heartbeats,
                  sum(case when is_assigned then 0 else 1 end) as unassigned,
                  round(100.0 * avg(case when is_assigned then 0.0 else 1.0 end), 2) as pct_unassigned
           from {intermediate}.int_heartbeats_assigned""",
    ),
    (
        "Channel 'other' (no rule in seeds/touchpoint_channel_rules.csv matched)",
        "{marts}.fct_interactions",
        """select count(*) as interactions_in_other,
                  round(100.0 * count(*) / (select count(*) from {marts}.fct_interactions), 1) as pct_of_interactions,
                  sum(case when is_touchpoint then 1 else 0 end) as touchpoints_in_other,
                  round(100.0 * sum(case when is_touchpoint then 1 else 0 end)
                        / nullif((select count(*) from {marts}.fct_interactions where is_touchpoint), 0), 1)
                      as pct_of_touchpoints
           from {marts}.fct_interactions where channel = 'other'""",
    ),
    (
        "Top unmatched (utm_medium, utm_source) pairs in 'other': add a rule for those that matter",
        "{marts}.fct_interactions",
        """select channel_utm_medium as utm_medium, channel_utm_source as utm_source,
                  count(*) as interactions, sum(case when is_touchpoint then 1 else 0 end) as touchpoints
           from {marts}.fct_interactions where channel = 'other'
           group by 1, 2 order by 3 desc, 1, 2 limit 5""",
    ),
)


def unknown_reference_values(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str, int]]:
    """(source, column, value, rows) for every loaded value outside the accepted values of a
    reference-data column that keeps unknown values (contract: keeps_unknown_values): the
    rows loaded with the value kept, and each such value is a warning."""
    warnings: list[tuple[str, str, str, int]] = []
    for source in SOURCES.values():
        if not _table_exists(con, f"raw.{source.table}"):
            continue
        for column in source.columns:
            if not (column.keeps_unknown_values and column.accepted_values):
                continue
            accepted = ", ".join("?" for _ in column.accepted_values)
            rows = con.execute(
                f"""select {column.raw_name}, count(*) from raw.{source.table}
                    where {column.raw_name} is not null and {column.raw_name} not in ({accepted})
                    group by 1 order by 2 desc, 1""",
                list(column.accepted_values),
            ).fetchall()
            warnings += [(source.name, column.name, value, count) for value, count in rows]
    return warnings


def _print_unknown_reference_values(con: duckdb.DuckDBPyConnection) -> None:
    warnings = unknown_reference_values(con)
    print(f"\nWarnings: reference values outside the contract (rows loaded, value kept): {len(warnings)}")
    for source, column, value, count in warnings:
        print(f"  WARNING {source}.{column} = '{value}': {count} row(s); treated as 'other' where a default is needed")


# The manifest keeps every attempt; a file's state is its latest attempt per source and content.
LATEST_ATTEMPTS = """
    select * from raw.load_manifest as attempt
    where loaded_at = (
        select max(later.loaded_at) from raw.load_manifest as later
        where later.file_hash = attempt.file_hash
            and later.source_name is not distinct from attempt.source_name
    )
"""


MODELS_SIDE_BY_SIDE = ("last_touch", "w_shaped", "markov")


def _number(text: str) -> float:
    return float(text) if text not in ("", None) else 0.0


def _print_table(title: str, columns: list[str], rows: list[tuple]) -> None:
    print(f"\n{title}")
    widths = [max(len(str(c)), *(len(_fmt(r[i])) for r in rows)) if rows else len(c) for i, c in enumerate(columns)]
    print("  " + "  ".join(str(c).ljust(w) for c, w in zip(columns, widths, strict=True)))
    for row in rows:
        print("  " + "  ".join(_fmt(v).ljust(w) for v, w in zip(row, widths, strict=True)))


def print_semantic_reports(db_path: Path) -> None:
    """The metric sections, read through the semantic layer's saved queries (models/semantic/)."""
    try:
        share = run_saved_query("touchpoint_share_by_source", db_path)
        stages = run_saved_query("accounts_per_stage", db_path)
        channels = run_saved_query("attribution_by_channel_and_model", db_path)
    except SavedQueryError as error:
        print(f"\n  (semantic layer not queried: {error})")
        return
    rows = sorted(share, key=lambda r: -_number(r["interactions"]))
    _print_table(
        "Share of interactions kept as touchpoints (saved query touchpoint_share_by_source)",
        ["source_system", "interactions", "touchpoints", "pct_touchpoints"],
        [
            (
                r["interaction__source_system"],
                int(_number(r["interactions"])),
                int(_number(r["touchpoints"])),
                round(100 * _number(r["touchpoint_share"]), 1),
            )
            for r in rows
        ],
    )
    rows = sorted(stages, key=lambda r: int(r["account__current_stage_order"]))
    _print_table(
        "Accounts per journey stage (saved query accounts_per_stage)",
        ["stage", "accounts", "accounts_needing_sales_attention"],
        [
            (
                r["account__current_stage"],
                int(_number(r["accounts"])),
                int(_number(r["accounts_needing_sales_attention"])),
            )
            for r in rows
        ],
    )
    pipeline: dict[str, dict[str, float]] = {}
    for r in channels:
        by_model = pipeline.setdefault(r["channel_month__channel"], {})
        by_model[r["channel_month__model_name"]] = _number(r["attributed_pipeline"])
        if r["channel_month__model_name"] == "w_shaped":
            by_model["w_shaped_revenue"] = _number(r["attributed_revenue"])
    top = sorted(pipeline.items(), key=lambda item: -item[1].get("w_shaped", 0.0))[:8]
    columns = [*MODELS_SIDE_BY_SIDE, "w_shaped_revenue"]
    _print_table(
        "Top channels by attributed pipeline under three models (saved query attribution_by_channel_and_model)",
        ["channel", *columns],
        [(channel, *(values.get(c) for c in columns)) for channel, values in top],
    )


def print_summary(db_path: Path, project_dir: Path, run_started_at: float = 0.0) -> None:
    print("\n=== Touchpoint warehouse: run summary ===")
    counts = dbt_result_counts(project_dir, since=run_started_at)
    if counts is None:
        print("  dbt did not run (see the log above)")
    for name, count in (counts or {}).items():
        print(f"  {name}: {count}")
    if not db_path.exists():
        print(f"  (no warehouse at {db_path})")
        return
    with duckdb.connect(str(db_path), read_only=True) as con:
        if _table_exists(con, "raw.load_manifest"):
            _print_rows(
                "Landing files",
                con,
                f"""select status, count(*) as files from ({LATEST_ATTEMPTS}) as latest group by 1 order by 1""",
            )
            _print_rows(
                "Rows per source (all loads so far)",
                con,
                """select source_name, count(*) as files, sum(rows_read) as rows_read,
                          sum(rows_loaded) as rows_loaded, sum(rows_quarantined) as rows_quarantined
                   from raw.load_manifest where status = 'loaded' group by 1 order by 1""",
            )
            _print_rows(
                "Quarantined rows by reason (all rows: select * from raw.quarantine)",
                con,
                """select source_name, field_name, split_part(reason, ':', 1) as reason,
                          count(*) as rows_quarantined,
                          min(file_name || ' row ' || cast(row_number as varchar)) as example
                   from raw.quarantine group by 1, 2, 3 order by 4 desc, 1, 2 limit 12""",
            )
            failed = con.execute(
                f"select file_name, error from ({LATEST_ATTEMPTS}) as latest where status = 'failed'"
            ).fetchall()
            for file_name, error in failed:
                print(f"  FAILED FILE {file_name}: {error}")
            _print_unknown_reference_values(con)
        schemas = {"marts": settings.schema("marts"), "intermediate": settings.schema("intermediate")}
        if settings.target() == "spark":  # the models are Spark's tables; this file has the raw layer only
            print(
                f"\n  (models built on Spark: their reports are not read here; the marts are published in "
                f"{settings.published_path()})"
            )
            return
        for title, table, sql in REPORTS:
            if _table_exists(con, table.format(**schemas)):
                _print_rows(title, con, sql.format(**schemas))
        has_marts = _table_exists(con, f"{schemas['marts']}.mart_attribution_channels")
    if has_marts:
        print_semantic_reports(db_path)
    print(f"\nReaders: open {settings.published_path()} (read-only), never the working warehouse.")
