"""Start the pipeline when new exports land. A run key per set of file hashes means the same
files never start two runs, and ingestion itself skips any file it has loaded before."""


import hashlib
import json

import dagster as dg

from orchestration import settings
from orchestration.ingestion.files import discover_landing_files, file_sha256
from orchestration.jobs import touchpoint_pipeline


def new_files_since(cursor: dict[str, str]) -> dict[str, str]:
    """Landing files whose content hash is not in the cursor ({file name: hash})."""
    found: dict[str, str] = {}
    for path in discover_landing_files(settings.landing_dir()):
        digest = file_sha256(path)
        if cursor.get(path.name) != digest:
            found[path.name] = digest
    return found


@dg.sensor(
    job=touchpoint_pipeline,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Watches the landing folder and runs the pipeline for files it has not seen.",
)
def landing_folder_sensor(context: dg.SensorEvaluationContext) -> dg.SensorResult | dg.SkipReason:
    if not settings.landing_dir().is_dir():
        return dg.SkipReason(f"the landing folder {settings.landing_dir()} does not exist yet")
    cursor: dict[str, str] = json.loads(context.cursor) if context.cursor else {}
    new_files = new_files_since(cursor)
    if not new_files:
        return dg.SkipReason("no new files in the landing folder")
    run_key = hashlib.sha256("".join(sorted(new_files.values())).encode()).hexdigest()
    return dg.SensorResult(
        run_requests=[dg.RunRequest(run_key=run_key, tags={"landing_files": ",".join(sorted(new_files))[:1000]})],
        cursor=json.dumps(cursor | new_files, sort_keys=True),
    )
