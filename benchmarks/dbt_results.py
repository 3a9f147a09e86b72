"""Read what a dbt command did from its run_results.json: counts by node type and the slowest models."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

# A node in one of these states means the command did not fully do its job ("warn" is allowed).
NOT_OK = ("error", "fail", "runtime error", "skipped")


def _results(run_results: Path) -> list[dict]:
    return json.loads(run_results.read_text())["results"]


def _node_type(unique_id: str) -> str:
    return unique_id.split(".", 1)[0]  # model.<project>.<name>, test..., seed..., unit_test...


def dbt_counts(run_results: Path) -> tuple[dict[str, int], dict[str, int]]:
    """(nodes run by type, e.g. {"model": 80, "test": 300}; nodes by not-ok status)."""
    results = _results(run_results)
    by_type = Counter(_node_type(result["unique_id"]) for result in results)
    not_ok = Counter(result["status"] for result in results if result["status"] in NOT_OK)
    order = ("model", "seed", "snapshot", "test", "unit_test")
    counts = {kind: by_type[kind] for kind in order if by_type[kind]}
    counts.update({kind: n for kind, n in sorted(by_type.items()) if kind not in counts})
    return counts, dict(not_ok)


def _tested_model(test: dict) -> str | None:
    """The model a data test checks: its attached node, else its first model parent."""
    return test.get("attached_node") or next(
        (parent for parent in test["depends_on"]["nodes"] if _node_type(parent) == "model"), None
    )


def seconds_by_type(run_results: Path) -> dict[str, float]:
    """Execution seconds summed by node type (threads overlap, so the sum can exceed the wall time)."""
    seconds: Counter[str] = Counter()
    for result in _results(run_results):
        seconds[_node_type(result["unique_id"])] += result["execution_time"]
    return dict(seconds.most_common())


def broken_nodes(run_results: Path) -> list[str]:
    """Names of the nodes that errored or failed (not the ones skipped because of them)."""
    return [
        result["unique_id"].split(".", 2)[-1]
        for result in _results(run_results)
        if result["status"] in NOT_OK and result["status"] != "skipped"
    ]


def slowest_models(run_results: Path, limit: int) -> list[tuple[str, float]]:
    """The ``limit`` models that took longest, as (model name, seconds), slowest first."""
    models = [result for result in _results(run_results) if _node_type(result["unique_id"]) == "model"]
    models.sort(key=lambda result: result["execution_time"], reverse=True)
    return [(result["unique_id"].rsplit(".", 1)[-1], result["execution_time"]) for result in models[:limit]]


def test_seconds_by_model(run_results: Path, manifest: Path, limit: int) -> list[tuple[str, str, int, float]]:
    """The models whose data tests took longest, as (model, materialization, tests, seconds), slowest first.

    A test on a view re-runs the view's whole upstream chain of views, so this is where a slow
    ``dbt build`` usually hides.
    """
    nodes = json.loads(manifest.read_text())["nodes"]
    tests: Counter[str] = Counter()
    seconds: Counter[str] = Counter()
    for result in _results(run_results):
        node = nodes.get(result["unique_id"])
        if _node_type(result["unique_id"]) != "test" or node is None:
            continue
        tested = _tested_model(node)
        if tested in nodes:
            tests[tested] += 1
            seconds[tested] += result["execution_time"]
    return [
        (model.rsplit(".", 1)[-1], nodes[model]["config"]["materialized"], tests[model], total)
        for model, total in seconds.most_common(limit)
    ]


def seconds_by_folder(run_results: Path, manifest: Path) -> dict[str, float]:
    """Execution seconds summed by the folder of each model or seed, its data tests included.

    A test counts for the model it tests (its attached node, else its first model parent), so a
    folder such as ``models/intermediate/journeys`` holds one chain and everything that checks
    it. Nodes outside any folder (hooks, saved queries, exposures) count under their type.
    """
    nodes = json.loads(manifest.read_text())["nodes"]
    seconds: Counter[str] = Counter()
    for result in _results(run_results):
        unique_id = result["unique_id"]
        node = nodes.get(unique_id)
        if node is not None and _node_type(unique_id) == "test":
            tested = _tested_model(node)
            node = nodes.get(tested) if tested else None
        path = (node or {}).get("original_file_path", "")
        group = str(Path(path).parent) if path.startswith(("models/", "seeds/")) else _node_type(unique_id)
        seconds[group] += result["execution_time"]
    return dict(seconds)
