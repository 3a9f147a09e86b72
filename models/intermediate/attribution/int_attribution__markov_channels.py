"""Markov chain removal-effect attribution, first order, solved exactly (no simulation).

States: `start`, one per channel, and the absorbing `conversion` and `null`. Every journey
(converting or not) is walked start > c1 > ... > ck > conversion|null, and each step is
counted once per journey. The probability of reaching `conversion` from `start` is the
absorption probability of the chain: with Q the transient-to-transient and r the
transient-to-conversion probabilities, x = (I - Q)^-1 r and P(conversion) = x[start].

Removing channel c sends every transition into c to `null` (x[c] = 0). Its removal effect
is 1 - P(conversion without c) / P(conversion); credit shares are the removal effects
normalised to sum to 1, and attributed conversions (revenue) are the conversion (revenue)
totals times the share, so the totals reconcile exactly.

Consecutive repeats of a channel are self-loops; they never change an absorption
probability (x_i = sum_j p_ij x_j / (1 - p_ii) over j != i), so collapsing them or not gives
the same result. Repeats that are not consecutive (A > B > A) are real cycles and are
solved exactly by the linear system.

The pure functions below are imported by tests/python/test_attribution_data_driven.py.
"""

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

# A journey: (channel sequence, number of conversions, number of non-conversions).
Journey = tuple[Sequence[str], float, float]

# A removal effect at or below this is the rounding error of 1 - P(without c) / P (a channel
# whose removal changes nothing comes out at about 1e-16, the amount depending on the engine's
# numpy), not a contribution: it is zero. Otherwise such a channel got a credit of ~1e-17 and
# "cost per attributed conversion" of its spend overflowed (1e18) in the marts.
ROUNDING_NOISE = 1e-12

OUTPUT_COLUMNS = [
    "model",
    "conversion_type",
    "channel",
    "removal_effect",
    "credit_share",
    "attributed_conversions",
    "attributed_revenue",
]


def transition_counts(journeys: Iterable[Journey]) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """Count transitions. Returns (channels, counts between transient states, counts to
    conversion, counts to null); transient state 0 is `start`, state i + 1 is channels[i]."""
    journeys = list(journeys)
    channels = sorted({channel for path, _, _ in journeys for channel in path})
    index = {channel: i + 1 for i, channel in enumerate(channels)}
    size = len(channels) + 1
    between = np.zeros((size, size))
    to_conversion = np.zeros(size)
    to_null = np.zeros(size)
    for path, conversions, non_conversions in journeys:
        weight = conversions + non_conversions
        states = [0] + [index[channel] for channel in path]
        for source, target in zip(states, states[1:], strict=False):
            between[source, target] += weight
        to_conversion[states[-1]] += conversions
        to_null[states[-1]] += non_conversions
    return channels, between, to_conversion, to_null


def conversion_probability(
    between: np.ndarray, to_conversion: np.ndarray, to_null: np.ndarray, removed: int | None = None
) -> float:
    """Exact probability of absorption in `conversion` from `start` (state 0), optionally with
    transient state `removed` turned into a dead end (every transition into it goes to null)."""
    outgoing = between.sum(axis=1) + to_conversion + to_null
    keep = [i for i in range(len(outgoing)) if i != removed and outgoing[i] > 0]
    if 0 not in keep:
        return 0.0
    safe = outgoing[keep]
    q = between[np.ix_(keep, keep)] / safe[:, None]
    r = to_conversion[keep] / safe
    x = np.linalg.solve(np.eye(len(keep)) - q, r)
    return float(x[keep.index(0)])


def removal_effects(journeys: Iterable[Journey]) -> tuple[float, dict[str, float]]:
    """P(conversion) of the full chain and the removal effect of every channel."""
    channels, between, to_conversion, to_null = transition_counts(journeys)
    base = conversion_probability(between, to_conversion, to_null)
    if base <= 0:
        return 0.0, {channel: 0.0 for channel in channels}
    effects = {}
    for i, channel in enumerate(channels):
        effect = 1.0 - conversion_probability(between, to_conversion, to_null, removed=i + 1) / base
        effects[channel] = effect if effect > ROUNDING_NOISE else 0.0
    return base, effects


def markov_attribution(journeys: Iterable[Journey], total_conversions: float, total_revenue: float) -> pd.DataFrame:
    """One row per channel: removal_effect, credit_share, attributed_conversions, attributed_revenue."""
    _, effects = removal_effects(journeys)
    effect_sum = sum(effects.values())
    rows = []
    for channel, effect in effects.items():
        share = effect / effect_sum if effect_sum > 0 else 0.0
        rows.append(
            {
                "channel": channel,
                "removal_effect": effect,
                "credit_share": share,
                "attributed_conversions": total_conversions * share,
                "attributed_revenue": total_revenue * share,
            }
        )
    return pd.DataFrame(rows, columns=OUTPUT_COLUMNS[2:])


def journeys_by_type(converting: pd.DataFrame, non_converting: pd.DataFrame) -> dict[str, list[Journey]]:
    """Distinct channel paths per conversion type with their conversion / non-conversion
    counts, from (journey_id, conversion_type, path_position, channel) rows."""
    counts: dict[str, dict[tuple[str, ...], list[float]]] = {}
    for frame, outcome in ((converting, 0), (non_converting, 1)):
        if frame.empty:
            continue
        ordered = frame.sort_values(["conversion_type", "journey_id", "path_position"])
        journey_ids = ordered["journey_id"].to_numpy()
        types = ordered["conversion_type"].to_numpy()
        channels = ordered["channel"].to_numpy()
        starts = np.flatnonzero(np.r_[True, (journey_ids[1:] != journey_ids[:-1]) | (types[1:] != types[:-1])])
        for start, end in zip(starts, np.r_[starts[1:], len(ordered)], strict=True):
            path = tuple(channels[start:end].tolist())
            counts.setdefault(types[start], {}).setdefault(path, [0.0, 0.0])[outcome] += 1
    return {
        conversion_type: [(path, c, n) for path, (c, n) in sorted(paths.items())]
        for conversion_type, paths in sorted(counts.items())
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
    paths = to_pandas(dbt.ref("int_attribution__paths"))
    non_converting = to_pandas(dbt.ref("int_attribution__non_converting_paths"))

    converting = paths.rename(columns={"conversion_id": "journey_id"})
    cols = ["journey_id", "conversion_type", "path_position", "channel"]
    journeys = journeys_by_type(converting[cols], non_converting[cols])
    conversions = paths.drop_duplicates("conversion_id").groupby("conversion_type")
    totals = conversions.agg(conversions=("conversion_id", "count"), revenue=("revenue", "sum"))

    frames = []
    for conversion_type, type_totals in totals.iterrows():
        result = markov_attribution(
            journeys.get(conversion_type, []), float(type_totals["conversions"]), float(type_totals["revenue"])
        )
        frames.append(result.assign(model="markov", conversion_type=conversion_type))
    if not frames:
        return empty_output()
    return pd.concat(frames, ignore_index=True)[OUTPUT_COLUMNS]
