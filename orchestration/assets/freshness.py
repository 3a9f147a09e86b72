"""Freshness checks, evaluated from Dagster's own records (no warehouse connection):

- each raw table against the `freshness.warn_after` of its dbt source (models/staging/*/_*__sources.yml):
  the raw assets report the time their newest file was loaded as `dagster/last_updated_timestamp`,
  so a table no export reached for two days warns even though ingestion runs every day;
- the published layer against TW_PUBLISHED_MAX_AGE_HOURS (default 26: the daily run plus slack).

They run in the pipeline job after the assets they check, and the `freshness_checks_sensor`
re-evaluates them between runs. Severity WARN: stale data is reported, the run does not fail.

Dagster 1.13 marks these check factories as superseded by asset freshness policies; those are
a preview there (off unless dagster.yaml enables them, evaluated only by the daemon, API still
changing), so the project keeps the checks, which run inside the job and are tested, and
silences that one warning where it builds them (`make demo` printed it on every run).
"""

from __future__ import annotations

import json
import warnings
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

import dagster as dg

from orchestration import settings
from orchestration.assets.dbt import TouchpointDbtTranslator
from orchestration.assets.publish import published_warehouse
from orchestration.resources import dbt_project

PERIOD_SECONDS = {"minute": 60, "hour": 3600, "day": 86400}


def source_freshness_bounds(manifest: Mapping[str, Any]) -> dict[dg.AssetKey, timedelta]:
    """Raw asset key -> the warn_after of its dbt source, for every source that declares one."""
    translator = TouchpointDbtTranslator()
    bounds = {}
    for source in manifest["sources"].values():
        warn_after = (source.get("freshness") or {}).get("warn_after") or {}
        if warn_after.get("count") and warn_after.get("period"):
            seconds = warn_after["count"] * PERIOD_SECONDS[warn_after["period"]]
            bounds[translator.get_asset_key(source)] = timedelta(seconds=seconds)
    return bounds


def raw_freshness_checks(manifest: Mapping[str, Any]) -> Sequence[dg.AssetChecksDefinition]:
    keys_by_bound: dict[timedelta, list[dg.AssetKey]] = defaultdict(list)
    for key, bound in source_freshness_bounds(manifest).items():
        keys_by_bound[bound].append(key)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", dg.SupersessionWarning)  # see the module docstring
        return [
            check
            for bound, keys in sorted(keys_by_bound.items())
            for check in dg.build_last_update_freshness_checks(assets=keys, lower_bound_delta=bound)
        ]


def published_freshness_checks() -> Sequence[dg.AssetChecksDefinition]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", dg.SupersessionWarning)  # see the module docstring
        return dg.build_last_update_freshness_checks(
            assets=[published_warehouse], lower_bound_delta=timedelta(hours=settings.published_max_age_hours())
        )


def freshness_checks_sensor(checks: Sequence[dg.AssetChecksDefinition]) -> dg.SensorDefinition:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", dg.SupersessionWarning)  # see the module docstring
        return dg.build_sensor_for_freshness_checks(
            freshness_checks=checks, minimum_interval_seconds=3600, default_status=dg.DefaultSensorStatus.RUNNING
        )


freshness_checks = [
    *raw_freshness_checks(json.loads(dbt_project.manifest_path.read_text())),
    *published_freshness_checks(),
]

defs = dg.Definitions(asset_checks=freshness_checks, sensors=[freshness_checks_sensor(freshness_checks)])
