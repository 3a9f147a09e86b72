"""The daily run, every day even when no file arrived (the sensor starts runs for new files):
ingestion, then dbt. When nothing dbt reads changed since its last successful build, the dbt
step is skipped: the journey marts' "as of" is the newest data, not the clock, so the same data
gives the same marts (orchestration/build_state.py, README "Incremental runs"). Sunday's run
scans every row in the data tests of event-grain tables (run tag tests_full_scan) and always
builds."""

import dagster as dg

from orchestration.assets.dbt import FULL_TEST_SCAN_TAG
from orchestration.jobs import touchpoint_pipeline

FULL_TEST_SCAN_WEEKDAY = 6  # Sunday (datetime.weekday())


@dg.schedule(
    name="daily_touchpoint_pipeline",
    job=touchpoint_pipeline,
    cron_schedule="0 5 * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Every day at 05:00 UTC: ingest what is new and build; Sundays test every row.",
)
def daily_pipeline_schedule(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    scheduled_at = context.scheduled_execution_time
    is_full_scan_day = scheduled_at is not None and scheduled_at.weekday() == FULL_TEST_SCAN_WEEKDAY
    return dg.RunRequest(tags={FULL_TEST_SCAN_TAG: "true"} if is_full_scan_day else {})
