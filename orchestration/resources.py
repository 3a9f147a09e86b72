"""The dbt project and the resources the assets share."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject

from orchestration import settings
from orchestration.settings import PROJECT_DIR

dbt_project = DbtProject(project_dir=PROJECT_DIR, profiles_dir=PROJECT_DIR)
dbt_project.prepare_if_dev()

# The dbt installed beside this interpreter (the project's venv), whether or not it is on PATH,
# or with TW_TARGET=spark the Spark venv's dbt (scripts/dbt-spark), started through
# bin/dbt-child so that it dies with the process that started it.
_venv_dbt = Path(sys.executable).parent / "dbt"
if settings.target() == "spark":
    os.environ.setdefault("TW_DBT_EXECUTABLE", str(PROJECT_DIR / "scripts" / "dbt-spark"))
os.environ.setdefault("TW_DBT_EXECUTABLE", str(_venv_dbt) if _venv_dbt.exists() else "dbt")
DBT_CHILD = Path(__file__).resolve().parent / "bin" / "dbt-child"
dbt_resource = DbtCliResource(project_dir=dbt_project, dbt_executable=str(DBT_CHILD))
