"""The fingerprints of the compare-and-keep models cover every var those models read.

mart_attribution_credits and the touchpoint-level credit models keep a conversion's stored rows
while its fingerprint (int_attribution__conversion_inputs) is unchanged; int_journey_checkpoints,
int_journey_scores_decayed and int_journey_stages_evaluated keep an account's rows while its
fingerprint (int_journey_account_inputs) is; so do the attribution path models
(int_attribution__journey_touchpoints, _paths, _non_converting_paths) while the account's
fingerprint in int_attribution__account_inputs is. Each fingerprint hashes the vars listed in one
macro; a var read by the chain but missing from that list would let a tuned setting leave old
rows in place, so the list must hold every one of them.
(Behaviour of the incremental runs: tests/python/test_incremental_models.py.)
"""

from __future__ import annotations

import re

from orchestration import settings

ATTRIBUTION = settings.PROJECT_DIR / "models" / "intermediate" / "attribution"
# The models the touchpoint-level credits are computed through (the data-driven ones are
# recomputed by every run).
CHAIN = [
    ATTRIBUTION / f"int_attribution__{name}.sql"
    for name in (
        "journeys",
        "journey_touchpoints",
        "paths",
        "rule_based_credits",
        "time_decay_credits",
        "custom_credits",
        "conversion_inputs",
    )
] + [settings.PROJECT_DIR / "models" / "marts" / "attribution" / "mart_attribution_credits.sql"]
SETTINGS_MACRO = settings.PROJECT_DIR / "macros" / "attribution" / "attribution_credits_incremental.sql"
JOURNEYS = settings.PROJECT_DIR / "models" / "intermediate" / "journeys"
JOURNEY_CHAIN = [
    JOURNEYS / f"int_journey_{name}.sql"
    for name in ("checkpoints", "scores_decayed", "stages_evaluated", "account_inputs")
]
JOURNEY_SETTINGS_MACRO = settings.PROJECT_DIR / "macros" / "journeys" / "journey_chain_incremental.sql"


def _vars_read(path) -> set[str]:
    return set(re.findall(r"var\(\s*'([a-z_]+)'", path.read_text()))


def test_the_fingerprint_hashes_every_var_the_credit_chain_reads():
    listed = set(re.findall(r"'(attribution_[a-z_]+)'", SETTINGS_MACRO.read_text()))
    read = set().union(*(_vars_read(path) for path in CHAIN))
    assert len(read) >= 10, read  # the chain's files were found and read
    assert read - listed == set()


def test_the_fingerprint_hashes_every_var_the_journey_chain_reads():
    listed = set(re.findall(r"'(journey_[a-z_]+)'", JOURNEY_SETTINGS_MACRO.read_text()))
    read = set().union(*(_vars_read(path) for path in JOURNEY_CHAIN))
    assert len(read) >= 9, read
    assert read - listed == set()


PATH_CHAIN = [
    ATTRIBUTION / f"int_attribution__{name}.sql"
    for name in ("journey_touchpoints", "paths", "non_converting_paths", "account_inputs")
]
PATH_SETTINGS_MACRO = settings.PROJECT_DIR / "macros" / "attribution" / "attribution_paths_incremental.sql"


def test_the_fingerprint_hashes_every_var_the_path_chain_reads():
    listed = set(re.findall(r"'(attribution_[a-z_]+)'", PATH_SETTINGS_MACRO.read_text()))
    read = set().union(*(_vars_read(path) for path in PATH_CHAIN))
    assert len(read) >= 4, read
    assert read - listed == set()
