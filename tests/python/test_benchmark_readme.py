"""benchmarks/readme.py: a new run replaces its own block and keeps every other block and the
sections written after the blocks (the Spark section of benchmarks/README.md)."""

from __future__ import annotations

from pathlib import Path

from benchmarks import readme


def test_a_run_replaces_its_block_and_keeps_the_sections_after_the_blocks(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(
        readme,
        "render_block",
        lambda web_events, accounts, *rest: (
            f"<!-- run web_events={web_events} accounts={accounts} -->\nnew\n<!-- end run -->\n"
        ),
    )
    path = tmp_path / "README.md"
    path.write_text(
        f"# Benchmarks\n\nintro\n\n{readme.ANCHOR}\n\n"
        "<!-- run web_events=100 accounts=3 -->\nold small\n<!-- end run -->\n\n"
        "<!-- run web_events=1000 accounts=30 -->\nold large\n<!-- end run -->\n\n"
        "## Spark beside DuckDB\n\nkept\n"
    )
    readme.update_readme(path, 1000, 30, 7, [], None, {})
    text = path.read_text()
    assert "old small" in text and "old large" not in text and "\nnew\n" in text
    assert text.endswith("<!-- end run -->\n\n## Spark beside DuckDB\n\nkept\n")
    assert text.index("intro") < text.index("old small") < text.index("\nnew\n") < text.index("## Spark")


def test_the_summary_states_the_fixed_cost_ratio_only_when_stage_10_ran() -> None:
    measured = readme.summary_lines(
        {"incremental_over_full": 0.5, "full_over_floor": 40.0, "fixed_over_full": 0.25, "differences": []}
    )
    assert "incremental / full build **0.500**" in measured[1]
    assert "`--empty`) / full build **0.250**" in measured[1]
    without = readme.summary_lines({"incremental_over_full": 0.5, "full_over_floor": 40.0, "differences": []})
    assert "--empty" not in without[1] and without[1].endswith("(target <= 10).")
