"""benchmarks/run.py stage 10: dbt build --empty empties the warehouse's tables, so the stage
must put the stage-7 warehouse back exactly (the equality check reads it afterwards)."""

from __future__ import annotations

from pathlib import Path

import duckdb

from benchmarks import run
from benchmarks.measure import Measurement


def test_the_fixed_cost_stage_puts_the_warehouse_back(tmp_path: Path, monkeypatch) -> None:
    workdir = run.Workdir(tmp_path)
    with duckdb.connect(str(workdir.database)) as con:
        con.execute("create table fct as select range as id from range(1000)")
    seen: list[list[str]] = []

    def empty_build(workdir: run.Workdir, name: str, log: str, dbt_args: list[str], *rest) -> run.Stage:
        seen.append(dbt_args)
        with duckdb.connect(str(workdir.database)) as con:  # what --empty does to a table
            con.execute("create or replace table fct as select * from fct limit 0")
        measurement = Measurement(returncode=0, seconds=1.0, cpu_seconds=1.0, peak_rss_mib=1.0, output="")
        return run.Stage(name, measurement, "-", run.database_mb(workdir), [], {}, [], None)

    monkeypatch.setattr(run, "run_dbt", empty_build)
    stage = run.run_fixed_cost(workdir)
    assert seen == [[*run.SCHEDULED_BUILD, "--empty"]]
    with duckdb.connect(str(workdir.database)) as con:
        assert con.execute("select count(*) from fct").fetchone() == (1000,)
    assert stage.database_mb == run.database_mb(workdir)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["warehouse.duckdb"]
