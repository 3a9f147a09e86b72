"""Start the pipeline when new exports land. A run key per set of file hashes means the same
files never start two runs, and ingestion itself skips any file it has loaded before."""


import hashlib
import json

import dagster as dg

from orchestration import settings
from orchestration.ingestion.files import discover_landing_files, file_sha256
from orchestration.jobs import touchpoint_pipeline


def scan_landing_folder(cursor: dict[str, list]) -> tuple[dict[str, list], dict[str, list]]:
    """(files with content not seen before, the refreshed cursor), both as
    {file name: [size, mtime_ns, sha256]}.

    A file whose size and modification time match the cursor is not read again, so a tick
    costs a directory listing; only new or touched files are hashed.
    """
    new_files: dict[str, list] = {}
    refreshed = dict(cursor)
    for path in discover_landing_files(settings.landing_dir()):
        stat = path.stat()
        seen = cursor.get(path.name)
        if seen and seen[:2] == [stat.st_size, stat.st_mtime_ns]:
            continue
        entry = [stat.st_size, stat.st_mtime_ns, file_sha256(path)]
        refreshed[path.name] = entry
        if not seen or seen[2] != entry[2]:
            new_files[path.name] = entry
    return new_files, refreshed


@dg.sensor(
    job=touchpoint_pipeline,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Watches the landing folder and runs the pipeline for files it has not seen.",
)
def landing_folder_sensor(context: dg.SensorEvaluationContext) -> dg.SensorResult | dg.SkipReason:
    if not settings.landing_dir().is_dir():
        return dg.SkipReason(f"the landing folder {settings.landing_dir()} does not exist yet")
    cursor: dict[str, list] = json.loads(context.cursor) if context.cursor else {}
    new_files, refreshed = scan_landing_folder(cursor)
    if not new_files:
        context.update_cursor(json.dumps(refreshed, sort_keys=True))
        return dg.SkipReason("no new files in the landing folder")
    run_key = hashlib.sha256("".join(sorted(entry[2] for entry in new_files.values())).encode()).hexdigest()
    return dg.SensorResult(
        run_requests=[dg.RunRequest(run_key=run_key, tags={"landing_files": ",".join(sorted(new_files))[:1000]})],
        cursor=json.dumps(refreshed, sort_keys=True),
    )
