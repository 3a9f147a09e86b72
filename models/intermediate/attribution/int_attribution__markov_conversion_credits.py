"""Markov credit per conversion and channel, adding up to the chain's channel totals.

The chain (int_attribution__markov_channels) is global: it says how many conversions and
how much revenue each channel earned, not which conversions. To slice Markov by month,
account or campaign we split each conversion over the distinct channels on its own path so
that both margins hold:
  * per conversion the credits sum to 1 (revenue: to the conversion's revenue);
  * per channel they sum to the chain's attributed_conversions (attributed_revenue).
We start from the proportional split (each path's channels weighted by their global credit
share) and rake it (iterative proportional fitting: scale channels to their totals,
renormalise each conversion, repeat) until every channel total matches to 1e-9. Raking
changes the start as little as possible in the relative-entropy sense and is deterministic.
Conversions with the same channel set get the same split, so we rake distinct channel sets.
If the totals cannot be met (a channel's total exceeds the conversions it touched), the
last pass still renormalises every conversion, so per-model totals stay exact and only the
channel sums are off; the dbt test assert_data_driven_attribution_totals_reconcile then
points at the channel.
"""

import numpy as np
import pandas as pd

OUTPUT_COLUMNS = [
    "model",
    "conversion_id",
    "conversion_type",
    "converted_at",
    "account_id",
    "channel",
    "credit",
    "attributed_revenue",
]


def rake(
    on_path: np.ndarray, shares: np.ndarray, row_weights: np.ndarray, targets: np.ndarray, max_passes: int = 10_000
) -> np.ndarray:
    """Split matrix (channel sets x channels): rows sum to 1, zero off the path, and
    row_weights @ split == targets when reachable. on_path: 0/1 matrix; shares: start weights."""
    split = normalise_rows(on_path * shares, on_path)
    for _ in range(max_passes):
        totals = row_weights @ split
        if np.all(np.abs(totals - targets) <= 1e-9 * (1 + np.abs(targets))):
            break
        scale = np.divide(targets, totals, out=np.ones_like(targets), where=totals > 0)
        split = normalise_rows(split * scale, on_path)
    return split


def normalise_rows(split: np.ndarray, on_path: np.ndarray) -> np.ndarray:
    """Rows summing to 1; a row with no weight left is split equally over its path."""
    sums = split.sum(axis=1, keepdims=True)
    equal = on_path / on_path.sum(axis=1, keepdims=True)
    return np.where(sums > 0, split / np.where(sums > 0, sums, 1), equal)


def split_conversions(paths: pd.DataFrame, channels: pd.DataFrame) -> pd.DataFrame:
    """Per conversion and channel credit and attributed revenue for one conversion type.
    paths: conversion_id, channel, revenue rows; channels: channel, credit_share,
    attributed_conversions, attributed_revenue."""
    distinct = paths[["conversion_id", "channel", "revenue"]].drop_duplicates(["conversion_id", "channel"])
    sets = distinct.groupby("conversion_id")["channel"].agg(lambda c: "|".join(sorted(c))).rename("channel_set")
    conversions = distinct.drop_duplicates("conversion_id").set_index("conversion_id")[["revenue"]].join(sets)
    set_sizes = conversions.groupby("channel_set").agg(conversions=("revenue", "size"), revenue=("revenue", "sum"))

    names = sorted(set(channels["channel"]) | set(distinct["channel"]))
    column = {name: i for i, name in enumerate(names)}
    on_path = np.zeros((len(set_sizes), len(names)))
    for row, channel_set in enumerate(set_sizes.index):
        on_path[row, [column[c] for c in channel_set.split("|")]] = 1
    by_channel = channels.set_index("channel").reindex(names).fillna(0.0)
    shares = by_channel["credit_share"].to_numpy()

    conversion_targets = by_channel["attributed_conversions"].to_numpy()
    credit = rake(on_path, shares, set_sizes["conversions"].to_numpy(float), conversion_targets)
    revenue_weights = set_sizes["revenue"].to_numpy(float)
    revenue_credit = (
        rake(on_path, shares, revenue_weights, by_channel["attributed_revenue"].to_numpy())
        if revenue_weights.sum() > 0
        else credit
    )
    splits = pd.DataFrame(
        {
            "channel_set": np.repeat(set_sizes.index.to_numpy(), len(names)),
            "channel": np.tile(names, len(set_sizes)),
            "credit": credit.ravel(),
            "revenue_share": revenue_credit.ravel(),
        }
    )
    result = distinct.merge(conversions[["channel_set"]], left_on="conversion_id", right_index=True)
    result = result.merge(splits, on=["channel_set", "channel"])
    result["attributed_revenue"] = result["revenue"] * result["revenue_share"]
    return result[["conversion_id", "channel", "credit", "attributed_revenue"]]


def model(dbt, session):
    dbt.config(materialized="table")
    paths = dbt.ref("int_attribution__paths").df()
    channels = dbt.ref("int_attribution__markov_channels").df()
    conversions = paths.drop_duplicates("conversion_id")[
        ["conversion_id", "conversion_type", "converted_at", "account_id"]
    ]

    frames = [
        split_conversions(type_paths, channels[channels["conversion_type"] == conversion_type])
        for conversion_type, type_paths in paths.groupby("conversion_type", sort=True)
    ]
    if not frames:
        empty = conversions.assign(model="", channel="", credit=0.0, attributed_revenue=0.0)
        return empty.astype({"model": "string", "channel": "string"})[OUTPUT_COLUMNS]
    credits = pd.concat(frames, ignore_index=True).merge(conversions, on="conversion_id")
    return credits.assign(model="markov")[OUTPUT_COLUMNS]
