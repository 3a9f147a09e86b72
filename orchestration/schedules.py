"""The daily run: rebuilds everything even when no file arrived (recency and decay change daily)."""

import dagster as dg

from orchestration.jobs import touchpoint_pipeline

daily_pipeline_schedule = dg.ScheduleDefinition(
    name="daily_touchpoint_pipeline",
    job=touchpoint_pipeline,
    cron_schedule="0 5 * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Every day at 05:00 UTC: ingest what is new and rebuild the warehouse.",
)
