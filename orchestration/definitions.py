"""Everything Dagster knows about this project, in one place."""

import dagster as dg

from orchestration.assets.dbt import touchpoint_dbt_assets
from orchestration.assets.ingestion import raw_tables
from orchestration.assets.publish import published_warehouse
from orchestration.jobs import erase_person_job, touchpoint_pipeline
from orchestration.resources import dbt_resource
from orchestration.schedules import daily_pipeline_schedule
from orchestration.sensors import landing_folder_sensor

defs = dg.Definitions(
    assets=[raw_tables, touchpoint_dbt_assets, published_warehouse],
    jobs=[touchpoint_pipeline, erase_person_job],
    schedules=[daily_pipeline_schedule],
    sensors=[landing_folder_sensor],
    resources={"dbt": dbt_resource},
)
