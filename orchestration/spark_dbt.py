"""dbt for the `spark` target: `python -m orchestration.spark_dbt build ...` in the Spark venv.

This is dbt plus one thing. dbt-spark runs dbt Python models only on Databricks (it uploads a
notebook or submits a job). With `method: session`, dbt itself already runs inside a Spark
driver, so here a submission method `session` executes the compiled model in that same
SparkSession (the model reads its refs as Spark DataFrames and returns a pandas or Spark
DataFrame, which dbt-spark's generated code writes as a table). It is the default when the
profile's method is `session`; on Databricks the default (all_purpose_cluster) is unchanged.
The Markov and Shapley models run this way, the same code as on DuckDB (see README).

Kept free of Dagster and DuckDB imports: the Spark venv has dbt-spark and pyspark only.
"""

from __future__ import annotations

import sys
from typing import Any

from dbt.adapters.base import PythonJobHelper
from dbt.adapters.spark.impl import SparkAdapter

SESSION = "session"


class SessionPythonJobHelper(PythonJobHelper):
    """Runs a compiled dbt Python model in the SparkSession of this (the dbt) process."""

    def __init__(self, parsed_model: dict, credentials: Any) -> None:
        self.name = f"{parsed_model['schema']}.{parsed_model['alias']}"

    def submit(self, compiled_code: str) -> None:
        from pyspark.sql import SparkSession

        spark = SparkSession.builder.getOrCreate()  # the session dbt-spark's cursor created
        namespace = {"spark": spark, "__name__": f"dbt_python_model_{self.name}"}
        exec(compile(compiled_code, f"<dbt python model {self.name}>", "exec"), namespace)  # noqa: S102


_dbt_spark_helpers = SparkAdapter.python_submission_helpers.fget
_dbt_spark_default = SparkAdapter.default_python_submission_method.fget


def _helpers(self: SparkAdapter) -> dict[str, type[PythonJobHelper]]:
    return {**_dbt_spark_helpers(self), SESSION: SessionPythonJobHelper}


def _default(self: SparkAdapter) -> str:
    if getattr(self.config.credentials, "method", None) == SESSION:
        return SESSION
    return _dbt_spark_default(self)


SparkAdapter.python_submission_helpers = property(_helpers)
SparkAdapter.default_python_submission_method = property(_default)


def main() -> None:
    from dbt.cli.main import cli

    sys.argv[0] = "dbt"
    cli()


if __name__ == "__main__":
    main()
