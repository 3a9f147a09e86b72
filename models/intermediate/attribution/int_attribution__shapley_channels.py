"""Shapley value attribution at channel level, exact (every coalition enumerated, no sampling).

Variant: the "subset" game. The worth of a coalition S of channels is the number of
conversions (for revenue: the revenue) of the journeys whose set of distinct channels is
contained in S, i.e. what those channels could have earned on their own. It is a sum of
unanimity games, so the Shapley value has a closed form: every conversion is shared equally
by the distinct channels on its path. We still enumerate all 2^n coalitions (n capped by the
var `attribution_shapley_max_channels`, default 18) and the tests check the enumeration
against that closed form and against hand-computed examples.

Efficiency of the Shapley value makes the credits add up to the total exactly. Order,
repeats and non-converting journeys do not matter in this game (the Markov model is the one
that uses them).

The pure functions below are imported by tests/python/test_attribution_data_driven.py.
"""

from collections.abc import Iterable, Sequence
from math import factorial

import numpy as np
import pandas as pd

DEFAULT_MAX_CHANNELS = 18

OUTPUT_COLUMNS = [
    "model",
    "conversion_type",
    "channel",
    "shapley_value",
    "credit_share",
    "attributed_conversions",
    "attributed_revenue",
]


class TooManyChannelsError(ValueError):
    """More channels than the configured maximum: 2^n coalitions would be too many."""


def coalition_worths(journeys: Iterable[tuple[Sequence[str], float]], channels: Sequence[str]) -> np.ndarray:
    """Worth v(S) of every coalition S, indexed by bit mask over `channels`:
    v(S) = sum of the values of the journeys whose channel set is a subset of S."""
    bit = {channel: 1 << i for i, channel in enumerate(channels)}
    worth = np.zeros(1 << len(channels))
    for path, value in journeys:
        mask = 0
        for channel in path:
            mask |= bit[channel]
        worth[mask] += value
    masks = np.arange(len(worth))
    for i in range(len(channels)):
        # Sum over subsets, one channel at a time (a zeta transform).
        with_channel = masks[(masks >> i) & 1 == 1]
        worth[with_channel] += worth[with_channel ^ (1 << i)]
    return worth


def shapley_values(
    journeys: Iterable[tuple[Sequence[str], float]], max_channels: int = DEFAULT_MAX_CHANNELS
) -> dict[str, float]:
    """Exact Shapley value of every channel in the subset game of `journeys`
    ((channel sequence, value) pairs)."""
    journeys = list(journeys)
    channels = sorted({channel for path, _ in journeys for channel in path})
    n = len(channels)
    if n > max_channels:
        raise TooManyChannelsError(
            f"Shapley attribution over {n} channels needs 2^{n} coalitions; the maximum is "
            f"{max_channels} (var attribution_shapley_max_channels). Map rare channels to "
            f"'other' or raise the var."
        )
    worth = coalition_worths(journeys, channels)
    masks = np.arange(len(worth))
    sizes = np.array([bin(mask).count("1") for mask in masks])
    # Weight of a coalition of size s that channel i joins: s! (n - s - 1)! / n!
    weight = np.array([factorial(s) * factorial(n - s - 1) / factorial(n) for s in range(n)])
    values = {}
    for i, channel in enumerate(channels):
        without = masks[(masks >> i) & 1 == 0]
        marginal = worth[without | (1 << i)] - worth[without]
        values[channel] = float(np.sum(weight[sizes[without]] * marginal))
    return values


def shapley_attribution(
    journeys: Iterable[tuple[Sequence[str], float, float]],
    total_conversions: float,
    total_revenue: float,
    max_channels: int = DEFAULT_MAX_CHANNELS,
) -> pd.DataFrame:
    """One row per channel from (channel sequence, conversions, revenue) journeys.

    shapley_value is the value in the conversions game; attributed_revenue comes from the
    revenue game. Both are rescaled to the given totals, which only matters when some
    conversions have no channel at all (an empty path has no player to credit)."""
    journeys = list(journeys)
    by_conversions = shapley_values(((path, c) for path, c, _ in journeys), max_channels)
    by_revenue = shapley_values(((path, r) for path, _, r in journeys), max_channels)
    conversion_sum = sum(by_conversions.values())
    revenue_sum = sum(by_revenue.values())
    rows = []
    for channel, value in by_conversions.items():
        share = value / conversion_sum if conversion_sum > 0 else 0.0
        revenue_share = by_revenue[channel] / revenue_sum if revenue_sum > 0 else share
        rows.append(
            {
                "channel": channel,
                "shapley_value": value,
                "credit_share": share,
                "attributed_conversions": total_conversions * share,
                "attributed_revenue": total_revenue * revenue_share,
            }
        )
    return pd.DataFrame(rows, columns=OUTPUT_COLUMNS[2:])


def journeys_by_type(paths: pd.DataFrame) -> dict[str, list[tuple[tuple[str, ...], float, float]]]:
    """Distinct channel sets per conversion type with their conversions and revenue, from
    (conversion_id, conversion_type, channel, revenue) rows."""
    totals: dict[str, dict[tuple[str, ...], list[float]]] = {}
    if paths.empty:
        return {}
    ordered = paths.sort_values(["conversion_type", "conversion_id"])
    conversion_ids = ordered["conversion_id"].to_numpy()
    types = ordered["conversion_type"].to_numpy()
    channels = ordered["channel"].to_numpy()
    revenues = ordered["revenue"].to_numpy()
    starts = np.flatnonzero(np.r_[True, (conversion_ids[1:] != conversion_ids[:-1]) | (types[1:] != types[:-1])])
    for start, end in zip(starts, np.r_[starts[1:], len(ordered)], strict=True):
        channel_set = tuple(sorted(set(channels[start:end].tolist())))
        entry = totals.setdefault(types[start], {}).setdefault(channel_set, [0.0, 0.0])
        entry[0] += 1
        entry[1] += float(revenues[start])
    return {
        conversion_type: [(channel_set, c, r) for channel_set, (c, r) in sorted(sets.items())]
        for conversion_type, sets in sorted(totals.items())
    }


def to_pandas(relation) -> pd.DataFrame:
    """A ref as pandas: DuckDB relations (dbt-duckdb) have .df(), Spark DataFrames (dbt-spark,
    run in the driver by orchestration/spark_dbt.py or on Databricks) have .toPandas()."""
    return relation.toPandas() if hasattr(relation, "toPandas") else relation.df()


def empty_output() -> pd.DataFrame:
    text = {"model", "conversion_type", "channel"}
    return pd.DataFrame({c: pd.Series(dtype="string" if c in text else "float64") for c in OUTPUT_COLUMNS})


def model(dbt, session):
    dbt.config(materialized="table")
    max_channels = int(dbt.config.get("meta", {}).get("shapley_max_channels", DEFAULT_MAX_CHANNELS))
    paths = to_pandas(dbt.ref("int_attribution__paths"))[["conversion_id", "conversion_type", "channel", "revenue"]]

    frames = []
    for conversion_type, journeys in journeys_by_type(paths).items():
        total_conversions = sum(c for _, c, _ in journeys)
        total_revenue = sum(r for _, _, r in journeys)
        result = shapley_attribution(journeys, total_conversions, total_revenue, max_channels)
        frames.append(result.assign(model="shapley", conversion_type=conversion_type))
    if not frames:
        return empty_output()
    return pd.concat(frames, ignore_index=True)[OUTPUT_COLUMNS]
