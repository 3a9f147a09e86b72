"""Start the pipeline when new exports land. A run key per set of file hashes means the same
files never start two runs, and ingestion itself skips any file it has loaded before.

A file only counts once it has settled (unchanged for settings.settle_seconds(); hidden files
are uploads in progress), and content the load manifest already holds never starts a run, so
the first tick after `make dev` does not rerun files loaded by an earlier run or `make demo`.
"""

import hashlib
import json
import time

import dagster as dg
import duckdb

from orchestration import settings
from orchestration.ingestion.files import discover_landing_files, file_sha256
from orchestration.jobs import touchpoint_pipeline
from orchestration.lock import current_holder


class WarehouseBusy(Exception):
    """The warehouse is open for writing by a run; the next tick looks again."""


def hashes_in_manifest() -> set[str]:
    """Content hashes the load manifest holds as loaded or conflict (empty without a warehouse)."""
    path = settings.warehouse_path()
    if not path.exists():
        return set()
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            exists = con.execute(
                "select count(*) from information_schema.tables "
                "where table_schema = 'raw' and table_name = 'load_manifest'"
            ).fetchone()[0]
            if not exists:
                return set()
            rows = con.execute(
                "select distinct file_hash from raw.load_manifest where status in ('loaded', 'conflict')"
            ).fetchall()
            return {row[0] for row in rows}
    except duckdb.IOException as error:  # another process holds the write lock
        raise WarehouseBusy(str(error).splitlines()[0]) from error


def scan_landing_folder(
    cursor: dict[str, list], known_hashes: set[str] | None = None, settle_seconds: float = 0.0
) -> tuple[dict[str, list], dict[str, list]]:
    """(files with content not seen before, the refreshed cursor), both as
    {file name: [size, mtime_ns, sha256]}.

    A file whose size and modification time match the cursor is not read again, so a tick
    costs a directory listing; only new or touched files are hashed. A file modified within
    settle_seconds is left out of both (the next tick sees it again); a file whose hash is in
    known_hashes goes into the cursor but is not new.
    """
    new_files: dict[str, list] = {}
    refreshed = dict(cursor)
    now = time.time()
    for path in discover_landing_files(settings.landing_dir()):
        if path.is_symlink():
            continue  # ingestion refuses links; they never start a run
        stat = path.stat()
        seen = cursor.get(path.name)
        if seen and seen[:2] == [stat.st_size, stat.st_mtime_ns]:
            continue
        if now - stat.st_mtime < settle_seconds:
            continue
        entry = [stat.st_size, stat.st_mtime_ns, file_sha256(path)]
        refreshed[path.name] = entry
        if (not seen or seen[2] != entry[2]) and entry[2] not in (known_hashes or set()):
            new_files[path.name] = entry
    return new_files, refreshed


@dg.sensor(
    job=touchpoint_pipeline,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Watches the landing folder and runs the pipeline for settled files it has not loaded.",
)
def landing_folder_sensor(context: dg.SensorEvaluationContext) -> dg.SensorResult | dg.SkipReason:
    if not settings.landing_dir().is_dir():
        return dg.SkipReason(f"the landing folder {settings.landing_dir()} does not exist yet")
    cursor: dict[str, list] = json.loads(context.cursor) if context.cursor else {}
    holder = current_holder()
    if holder:
        return dg.SkipReason(f"the warehouse is being written by {holder}; looking again next tick")
    try:
        known = hashes_in_manifest()
    except WarehouseBusy as busy:
        return dg.SkipReason(f"the warehouse is being written by a run; looking again next tick ({busy})")
    new_files, refreshed = scan_landing_folder(cursor, known, settings.settle_seconds())
    if not new_files:
        context.update_cursor(json.dumps(refreshed, sort_keys=True))
        return dg.SkipReason("no new settled files in the landing folder")
    run_key = hashlib.sha256("".join(sorted(entry[2] for entry in new_files.values())).encode()).hexdigest()
    return dg.SensorResult(
        run_requests=[dg.RunRequest(run_key=run_key, tags={"landing_files": ",".join(sorted(new_files))[:1000]})],
        cursor=json.dumps(refreshed, sort_keys=True),
    )
