"""Row counts of the tables a dbt build wrote, attached to their Dagster materializations.

dagster-dbt can count rows while dbt runs (`fetch_row_counts`), but it queries through a second
connection to the warehouse, and DuckDB allows one writing process per file: dbt's. So the dbt
asset holds its events back until dbt has exited, then counts each table it built through one
connection of its own and yields the events with `dagster/row_count` added. Views are not
counted (counting one re-runs its query), nor is anything on the Spark target.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb

COUNTED_MATERIALIZATIONS = ("table", "incremental", "seed")


def counted_relation(node: Mapping[str, Any]) -> str | None:
    """The quoted `schema.table` of a built dbt node whose rows we count, or None."""
    materialized = node.get("config", {}).get("materialized")
    if node.get("resource_type") == "seed":
        materialized = "seed"
    if materialized not in COUNTED_MATERIALIZATIONS:
        return None
    return f'"{node["schema"]}"."{node.get("alias") or node["name"]}"'


def with_row_counts(events: Iterable[Any], manifest: Mapping[str, Any], warehouse: Path) -> Iterator[Any]:
    """The events, in order, once dbt has finished, with each built table's row count added. If dbt
    fails, the events received so far are still yielded (with counts) before the error is raised."""
    held: list[Any] = []
    try:
        for event in events:
            held.append(event)
    except BaseException:
        yield from _counted(held, manifest, warehouse)
        raise
    yield from _counted(held, manifest, warehouse)


def _counted(events: list[Any], manifest: Mapping[str, Any], warehouse: Path) -> Iterator[Any]:
    relations = {}
    for event in events:
        if isinstance(event, (dg.Output, dg.AssetMaterialization)) and "unique_id" in event.metadata:
            node = manifest["nodes"].get(event.metadata["unique_id"].value, {})
            relation = counted_relation(node)
            if relation:
                relations[id(event)] = relation
    counts = count_rows(warehouse, set(relations.values())) if relations else {}
    for event in events:
        count = counts.get(relations.get(id(event)))
        yield event.with_metadata({**event.metadata, "dagster/row_count": count}) if count is not None else event


def count_rows(warehouse: Path, relations: set[str]) -> dict[str, int]:
    """`count(*)` of each relation that exists; one connection, opened only after dbt has closed the file."""
    counts: dict[str, int] = {}
    with duckdb.connect(str(warehouse)) as con:
        for relation in sorted(relations):
            try:
                counts[relation] = con.execute(f"select count(*) from {relation}").fetchone()[0]
            except duckdb.CatalogException:  # not built in this run (a failed model), or dropped since
                continue
    return counts
