"""The main job end to end, from a shell: `python -m orchestration.run`.

Generates demo exports when the landing folder is empty, parses the dbt project, runs the
Dagster job in process (ingestion, dbt build, publish) and prints a short summary read from
the warehouse once the run is over.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time

from orchestration import settings
from orchestration.ingestion.files import discover_landing_files
from orchestration.lock import PipelineBusy, pipeline_lock
from orchestration.publishing import mart_source
from orchestration.summary import print_summary
from orchestration.test_failures import print_failing_rows


def ensure_landing_files(accounts: int, seed: int) -> bool:
    """Write demo exports into an empty landing folder; whether it did."""
    landing = settings.landing_dir()
    landing.mkdir(parents=True, exist_ok=True)
    if discover_landing_files(landing):  # what ingestion would read; hidden files do not count
        return False
    from orchestration.demo_data import generate_demo_exports

    print(f"{landing} is empty: writing demo exports ({accounts} accounts, seed {seed})")
    generate_demo_exports(landing, accounts=accounts, seed=seed)
    return True


def parse_dbt_project() -> None:
    """Write target/manifest.json, which the dbt assets are defined from."""
    from dbt.cli.main import dbtRunner

    settings.export_warehouse_path_for_dbt()
    project = str(settings.PROJECT_DIR)
    # Parsed with the DuckDB target (this venv has no dbt-spark): the graph is the same on Spark.
    arguments = ["parse", "--quiet", "--project-dir", project, "--profiles-dir", project, "--target", "duckdb"]
    result = dbtRunner().invoke(arguments)
    if not result.success:
        raise SystemExit(f"dbt parse failed: {result.exception}")


def run_pipeline() -> bool:
    import dagster as dg

    from orchestration.definitions import defs

    # Dagster's own event log at WARNING keeps the terminal readable; dbt's progress lines and
    # the summary below still show what happened, and failures are printed in full.
    quiet_console = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
    job = defs.resolve_job_def("touchpoint_pipeline")
    # With DAGSTER_HOME set (`make demo` sets it once `make dev` has created .dagster_home) the
    # run is recorded in that instance and shows in the UI; otherwise in a throwaway instance.
    instance = dg.DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else None
    result = job.execute_in_process(run_config=quiet_console, raise_on_error=False, instance=instance)
    return result.success


def _stop_on_sigterm() -> None:
    """SIGTERM ends the run like Ctrl-C: Dagster forwards the interrupt to dbt and waits for it."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--demo-accounts", type=int, default=300, help="accounts in generated demo data")
    parser.add_argument("--demo-seed", type=int, default=7, help="seed of the demo data generator")
    args = parser.parse_args(argv)

    _stop_on_sigterm()
    try:
        with pipeline_lock("python -m orchestration.run (make demo)"):
            if ensure_landing_files(args.demo_accounts, args.demo_seed):
                os.environ["TW_SETTLE_SECONDS"] = "0"  # we wrote them ourselves: they are complete
            started_at = time.time()
            parse_dbt_project()
            succeeded = run_pipeline()
            # The run is over and we hold the pipeline lock, so nothing writes the warehouse: the
            # summary reads it directly (the published layer holds only the BI-facing marts, not
            # the load manifest and quarantine).
            print_summary(settings.warehouse_path(), settings.PROJECT_DIR, started_at)
    except PipelineBusy as busy:
        print(busy, file=sys.stderr)
        return 3
    if not succeeded:
        print_failing_rows(mart_source(), settings.PROJECT_DIR / "target", started_at)
        print("The pipeline FAILED; readers keep the previously published copy. See the log above.")
    return 0 if succeeded else 1


if __name__ == "__main__":
    sys.exit(main())
