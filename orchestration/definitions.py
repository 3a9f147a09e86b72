"""Everything Dagster knows about this project: one set of definitions per concern, merged.

- ingestion (assets/ingestion.py): the raw tables and the landing-folder sensor;
- transformation (assets/dbt.py): every dbt model and seed, dbt tests as asset checks;
- publishing (assets/publish.py): the published layer readers use;
- freshness (assets/freshness.py): raw tables against their dbt source freshness, the published
  layer against its maximum age;
- here: the pipeline and erasure jobs, the daily schedule and the settings resource.
"""

import dagster as dg

from orchestration.assets import dbt, freshness, ingestion, publish
from orchestration.jobs import erase_person_job, touchpoint_pipeline
from orchestration.schedules import daily_pipeline_schedule
from orchestration.settings_resource import WarehouseSettings

pipeline = dg.Definitions(
    jobs=[touchpoint_pipeline, erase_person_job],
    schedules=[daily_pipeline_schedule],
    resources={"warehouse_settings": WarehouseSettings.from_environment()},
)

defs = dg.Definitions.merge(ingestion.defs, dbt.defs, publish.defs, freshness.defs, pipeline)
