"""Describe the machine and keep the pipeline results in benchmarks/README.md, one block per size.

Everything below the ANCHOR line of the README belongs to this module: a run replaces the
block of the same size (web events and accounts) and keeps the others, sorted by size.
"""

from __future__ import annotations

import os
import platform
import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from benchmarks.run import Stage

ANCHOR = "<!-- pipeline results below are written by `python -m benchmarks.run`; one block per size -->"
BLOCK = re.compile(r"<!-- run web_events=(\d+) accounts=(\d+) -->\n.*?<!-- end run -->\n", re.S)


@dataclass(frozen=True)
class Environment:
    machine: str
    load_before: float
    load_after: float | None = None
    started_on: str = ""

    def finished(self) -> Environment:
        return replace(self, load_after=os.getloadavg()[0])


def _package(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "?"


def describe_environment() -> Environment:
    memory_gib = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") / 2**30
    machine = (
        f"{os.cpu_count()} CPUs, {memory_gib:.1f} GiB RAM, {platform.machine()}; Python {platform.python_version()}, "
        f"dbt-core {_package('dbt-core')}, dbt-duckdb {_package('dbt-duckdb')}, DuckDB {_package('duckdb')}"
    )
    started_on = datetime.now(UTC).strftime("%Y-%m-%d")
    return Environment(machine=machine, load_before=os.getloadavg()[0], started_on=started_on)


def node_seconds_text(node_seconds: dict[str, float]) -> str:
    return ", ".join(f"{kind}s {seconds:,.1f} s" for kind, seconds in node_seconds.items())


def summary_lines(summary: dict) -> list[str]:
    def ratio(key: str) -> str:
        return f"{summary[key]:.3f}" if summary.get(key) is not None else "not measured"

    differences = summary.get("differences")
    if differences is None:
        skipped = summary.get("equality_skipped")
        equality = "not checked (`--no-full-refresh`: no stage 8)" if skipped else "not checked (a stage failed)"
    elif differences:
        equality = "**FAILED**: " + "; ".join(differences)
    else:
        equality = "passed: every dbt-built table holds the same rows (compare.py: floats to 9 significant digits)"
    return [
        "",
        f"CPU ratios: incremental / full build **{ratio('incremental_over_full')}** (target <= 0.10); "
        f"full build / floor **{ratio('full_over_floor')}** (target <= 10)"
        + (
            f"; dbt's fixed cost (stage 10, `--empty`) / full build **{ratio('fixed_over_full')}**."
            if summary.get("fixed_over_full") is not None
            else "."
        ),
        f"Incremental == full refresh: {equality}.",
    ]


def render_block(
    web_events: int, accounts: int, seed: int, stages: list[Stage], environment: Environment, summary: dict
) -> str:
    lines = [
        f"<!-- run web_events={web_events} accounts={accounts} -->",
        f"### {web_events:,} web events, {accounts:,} accounts (seed {seed})",
        "",
        f"Measured {environment.started_on} on {environment.machine}.",
        f"One-minute load average {environment.load_before:.1f} before the first stage and "
        f"{environment.load_after or 0:.1f} after the last"
        + (
            ": other jobs were sharing the CPUs, so wall seconds are an upper bound (CPU seconds are fairer)."
            if environment.load_before >= 0.5
            else "."
        ),
        "",
        "| stage | rows | wall s | CPU s | peak RSS MiB | DB MB | load after |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for stage in stages:
        result = stage.measurement
        db = f"{stage.database_mb:,.1f}" if stage.database_mb is not None else "-"
        rows = stage.rows + (f" **({stage.problem})**" if stage.problem else "")
        lines.append(
            f"| {stage.name} | {rows} | {result.seconds:,.1f} | {result.cpu_seconds:,.1f} "
            f"| {result.peak_rss_mib:,.1f} | {db} | {stage.load_after:.1f} |"
        )
    lines += summary_lines(summary)
    for stage in stages:
        if stage.slowest:
            models = ", ".join(f"`{model}` {seconds:,.1f} s" for model, seconds in stage.slowest)
            lines += [
                "",
                f"Slowest models in {stage.name.split(' ', 1)[1]}: {models}. "
                f"Execution seconds summed by node type: {node_seconds_text(stage.node_seconds)} "
                "(threads overlap; dbt's start-up, parsing and compiling are outside these sums).",
            ]
    for stage in stages:
        if stage.slowest_tested:
            tested = ", ".join(
                f"`{model}` ({materialized}, {tests} tests) {seconds:,.1f} s"
                for model, materialized, tests, seconds in stage.slowest_tested
            )
            lines += ["", f"Models whose data tests took longest in {stage.name.split(' ', 1)[1]}: {tested}."]
    lines.append("<!-- end run -->")
    return "\n".join(lines) + "\n"


def update_readme(
    readme: Path,
    web_events: int,
    accounts: int,
    seed: int,
    stages: list[Stage],
    environment: Environment,
    summary: dict,
) -> None:
    text = readme.read_text() if readme.exists() else "# Benchmarks\n"
    if ANCHOR not in text:
        text = text.rstrip("\n") + f"\n\n## Whole pipeline: measured results\n\n{ANCHOR}\n"
    head, tail = text.split(ANCHOR, 1)
    matches = list(BLOCK.finditer(tail))
    blocks = {(int(m[1]), int(m[2])): m[0] for m in matches}
    # the sections after the last block (e.g. "Spark beside DuckDB") stay where they are
    after = tail[matches[-1].end() :] if matches else ""
    blocks[(web_events, accounts)] = render_block(web_events, accounts, seed, stages, environment, summary)
    body = "\n".join(blocks[key] for key in sorted(blocks))
    readme.write_text(f"{head}{ANCHOR}\n\n{body}{after}")
