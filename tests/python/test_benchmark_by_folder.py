"""benchmarks/run.py: where the next-day run's time goes, by model folder (tests with their model),
against the --empty run of the same nodes."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks import run
from benchmarks.dbt_results import seconds_by_folder

NODES = {
    "model.p.int_journey_a": {"original_file_path": "models/intermediate/journeys/int_journey_a.sql"},
    "model.p.int_journey_b": {"original_file_path": "models/intermediate/journeys/int_journey_b.sql"},
    "model.p.mart_x": {"original_file_path": "models/marts/mart_x.sql"},
    "seed.p.stages": {"original_file_path": "seeds/stages.csv"},
    # a generic test: counted for the model it is attached to
    "test.p.key_a": {
        "original_file_path": "models/intermediate/journeys/_models.yml",
        "attached_node": "model.p.int_journey_a",
        "depends_on": {"nodes": ["model.p.int_journey_a"]},
    },
    # a singular test: counted for its first model parent, not for the tests folder
    "test.p.sums": {
        "original_file_path": "tests/dbt/sums.sql",
        "attached_node": None,
        "depends_on": {"nodes": ["seed.p.stages", "model.p.mart_x"]},
    },
    "operation.p.on-run-start-0": {"original_file_path": "./dbt_project.yml"},
}


def write_results(path: Path, seconds: dict[str, float]) -> Path:
    results = [
        {"unique_id": unique_id, "execution_time": value, "status": "success"} for unique_id, value in seconds.items()
    ]
    path.write_text(json.dumps({"results": results}))
    return path


def test_seconds_by_folder_counts_tests_with_their_model(tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"nodes": NODES}))
    results = write_results(
        tmp_path / "run_results.json",
        {
            "model.p.int_journey_a": 1.0,
            "model.p.int_journey_b": 2.0,
            "test.p.key_a": 0.25,
            "model.p.mart_x": 0.5,
            "test.p.sums": 0.125,
            "seed.p.stages": 0.75,
            "operation.p.on-run-start-0": 0.0625,
            "saved_query.p.weekly": 0.03125,  # not in the manifest's nodes: counted under its type
        },
    )
    assert seconds_by_folder(results, manifest) == {
        "models/intermediate/journeys": 3.25,
        "models/marts": 0.625,
        "seeds": 0.75,
        "operation": 0.0625,
        "saved_query": 0.03125,
    }


def test_next_day_by_folder_sorts_by_what_the_data_adds(tmp_path: Path) -> None:
    workdir = run.Workdir(tmp_path)
    assert run.next_day_by_folder(workdir) == []  # nothing to compare before stages 7 and 10 ran
    workdir.target.mkdir(parents=True)
    (workdir.target / "manifest.json").write_text(json.dumps({"nodes": NODES}))
    write_results(
        tmp_path / "run_results-7-dbt-build-incremental.json",
        {"model.p.int_journey_a": 3.0, "model.p.mart_x": 1.0, "seed.p.stages": 0.5},
    )
    write_results(
        tmp_path / "run_results-10-dbt-empty.json",
        {"model.p.int_journey_a": 0.5, "model.p.mart_x": 0.25, "seed.p.stages": 0.5, "test.p.sums": 0.125},
    )
    assert run.next_day_by_folder(workdir) == [
        ("models/intermediate/journeys", 3.0, 0.5),
        ("models/marts", 1.0, 0.375),
        ("seeds", 0.5, 0.5),
    ]
