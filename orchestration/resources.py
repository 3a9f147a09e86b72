"""The dbt project and the resources the assets share."""

from __future__ import annotations

from dagster_dbt import DbtCliResource, DbtProject

from orchestration.settings import PROJECT_DIR

dbt_project = DbtProject(project_dir=PROJECT_DIR, profiles_dir=PROJECT_DIR)
dbt_project.prepare_if_dev()

dbt_resource = DbtCliResource(project_dir=dbt_project)
