"""The fingerprint of int_attribution__conversion_inputs covers every attribution var its chain reads.

mart_attribution_credits and the touchpoint-level credit models keep a conversion's stored rows
while its fingerprint is unchanged; the fingerprint hashes the attribution vars listed in macro
attribution_credit_settings. A var read by the chain but missing from that list would let a
tuned setting leave old credits in place, so the list must hold every one of them.
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
SETTINGS_MACRO = settings.PROJECT_DIR / "macros" / "attribution" / "attribution_credit_settings.sql"


def _vars_read(path) -> set[str]:
    return set(re.findall(r"var\(\s*'([a-z_]+)'", path.read_text()))


def test_the_fingerprint_hashes_every_var_the_credit_chain_reads():
    listed = set(re.findall(r"'(attribution_[a-z_]+)'", SETTINGS_MACRO.read_text()))
    read = set().union(*(_vars_read(path) for path in CHAIN))
    assert len(read) >= 10, read  # the chain's files were found and read
    assert read - listed == set()
