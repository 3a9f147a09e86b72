"""Markov and Shapley attribution math, checked against published and hand-computed examples.

The dbt Python models keep their math in plain functions; we import the model files
directly (no dbt needed)."""

import importlib.util
import itertools
import math
import random
from pathlib import Path

import pandas as pd
import pytest

MODELS = Path(__file__).resolve().parents[2] / "models" / "intermediate" / "attribution"


def load(name: str):
    spec = importlib.util.spec_from_file_location(name, MODELS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


markov = load("int_attribution__markov_channels")
shapley = load("int_attribution__shapley_channels")


# --- Markov ----------------------------------------------------------------------------------


def test_markov_published_example_two_channels():
    # A converts twice, B once, A > B once, A fails once.
    # start->A 4/5, start->B 1/5; A->conv 2/4, A->B 1/4, A->null 1/4; B->conv 1.
    # P = 0.8 * (0.5 + 0.25) + 0.2 = 0.8. Without A: 0.2 -> 0.75. Without B: 0.4 -> 0.5.
    journeys = [(("A",), 2, 0), (("B",), 1, 0), (("A", "B"), 1, 0), (("A",), 0, 1)]
    probability, effects = markov.removal_effects(journeys)
    assert probability == pytest.approx(0.8)
    assert effects == pytest.approx({"A": 0.75, "B": 0.5})
    result = markov.markov_attribution(journeys, total_conversions=4, total_revenue=1000).set_index("channel")
    assert result["attributed_conversions"].to_dict() == pytest.approx({"A": 2.4, "B": 1.6})
    assert result["attributed_revenue"].to_dict() == pytest.approx({"A": 600.0, "B": 400.0})
    assert result["credit_share"].sum() == pytest.approx(1.0)


def test_markov_published_example_three_channels():
    # C1 > C2 > C3 converts, C1 fails, C2 > C3 fails. P = 1/3; without C1 1/6 (effect 0.5),
    # without C2 or C3 0 (effect 1); shares 0.5 / 2.5, 1 / 2.5, 1 / 2.5.
    journeys = [(("C1", "C2", "C3"), 1, 0), (("C1",), 0, 1), (("C2", "C3"), 0, 1)]
    result = markov.markov_attribution(journeys, total_conversions=1, total_revenue=0).set_index("channel")
    assert result["removal_effect"].to_dict() == pytest.approx({"C1": 0.5, "C2": 1.0, "C3": 1.0})
    assert result["credit_share"].to_dict() == pytest.approx({"C1": 0.2, "C2": 0.4, "C3": 0.4})


def test_markov_self_loops_do_not_change_the_result():
    with_repeats = [(("A", "A", "B", "B", "B"), 3, 0), (("B", "A", "A"), 1, 2), (("A",), 0, 1)]
    collapsed = [(("A", "B"), 3, 0), (("B", "A"), 1, 2), (("A",), 0, 1)]
    probability, effects = markov.removal_effects(with_repeats)
    collapsed_probability, collapsed_effects = markov.removal_effects(collapsed)
    assert probability == pytest.approx(collapsed_probability)
    assert effects == pytest.approx(collapsed_effects)


def test_markov_cycle_solved_exactly():
    # A > B > A converts, B fails. start->A 1/2, start->B 1/2; A->B 1, B->A 1/2, B->null 1/2;
    # A->conv is the last step of the first journey: A has 2 exits (->B, ->conv), 1/2 each.
    # x_A = 1/2 x_B + 1/2, x_B = 1/2 x_A  =>  x_A = 2/3, x_B = 1/3, P = 1/2 (2/3 + 1/3) = 1/2.
    # Without B: x_A = 1/2, P = 1/4 -> effect 1/2. Without A: x_B = 0 -> P = 0, effect 1.
    journeys = [(("A", "B", "A"), 1, 0), (("B",), 0, 1)]
    probability, effects = markov.removal_effects(journeys)
    assert probability == pytest.approx(0.5)
    assert effects == pytest.approx({"A": 1.0, "B": 0.5})


def test_markov_a_channel_that_changes_nothing_gets_exactly_zero():
    """z only ever leads to null, so removing it leaves P(conversion) unchanged: its effect is 0,
    not the ~2e-16 that 1 - P(without z) / P gives in floats (which overflowed cost per deal)."""
    journeys = [(("b",), 0, 1), (("c", "a", "b", "e"), 3, 3), (("a", "a", "c", "b"), 1, 1),
                (("b", "b", "a", "c"), 2, 1), (("d",), 2, 1), (("a",), 3, 1), (("z",), 0, 2)]  # fmt: skip
    _, effects = markov.removal_effects(journeys)
    assert effects["z"] == 0.0
    assert all(effect > 1e-3 for channel, effect in effects.items() if channel in "abc")
    result = markov.markov_attribution(journeys, total_conversions=11, total_revenue=0).set_index("channel")
    assert result.loc["z", "credit_share"] == 0.0
    assert math.isclose(result["credit_share"].sum(), 1.0)


def test_markov_no_conversions_gives_zero_credit():
    result = markov.markov_attribution([(("A",), 0, 3)], total_conversions=0, total_revenue=0)
    assert result["credit_share"].tolist() == [0.0]


# --- Shapley ---------------------------------------------------------------------------------

# Hand-computed subset game. Journeys (distinct channels: conversions, revenue):
#   {A}: 2, 200   {A,B}: 1, 300   {A,B,C}: 1, 600   {B,C}: 2, 0
# v(S) = conversions of journeys whose channels are inside S:
#   v(A)=2 v(B)=0 v(C)=0 v(AB)=3 v(AC)=2 v(BC)=2 v(ABC)=6
# Marginal contributions over the 6 orders:
#   A: ABC 2, ACB 2, BAC 3, BCA 4, CAB 2, CBA 4 -> 17/6
#   B: ABC 1, ACB 4, BAC 0, BCA 0, CAB 4, CBA 2 -> 11/6
#   C: ABC 3, ACB 0, BAC 3, BCA 2, CAB 0, CBA 0 ->  8/6      (sum 36/6 = 6 conversions)
# Revenue game, by the equal-split closed form: A 200 + 150 + 200 = 550, B 150 + 200 = 350,
# C 200 (sum 1100).
HAND_JOURNEYS = [(("A",), 2, 200.0), (("A", "B"), 1, 300.0), (("A", "B", "C"), 1, 600.0), (("C", "B"), 2, 0.0)]


def test_shapley_hand_computed_three_channels():
    result = shapley.shapley_attribution(HAND_JOURNEYS, total_conversions=6, total_revenue=1100).set_index("channel")
    assert result["shapley_value"].to_dict() == pytest.approx({"A": 17 / 6, "B": 11 / 6, "C": 8 / 6})
    assert result["attributed_conversions"].sum() == pytest.approx(6)
    assert result["attributed_revenue"].to_dict() == pytest.approx({"A": 550.0, "B": 350.0, "C": 200.0})
    assert result["credit_share"].sum() == pytest.approx(1.0)


def test_shapley_two_channels_by_hand():
    # {A}: 1, {A,B}: 1. v(A)=1, v(B)=0, v(AB)=2. A: (1 + 2) / 2 = 1.5, B: (1 + 0) / 2 = 0.5.
    values = shapley.shapley_values([(("A",), 1), (("B", "A", "B"), 1)])
    assert values == pytest.approx({"A": 1.5, "B": 0.5})


def brute_force_shapley(journeys):
    """Shapley value straight from the definition: average marginal contribution over orders."""
    channels = sorted({c for path, _ in journeys for c in path})

    def worth(coalition):
        return sum(value for path, value in journeys if set(path) <= coalition)

    totals = dict.fromkeys(channels, 0.0)
    for order in itertools.permutations(channels):
        joined = set()
        for channel in order:
            before = worth(joined)
            joined.add(channel)
            totals[channel] += worth(joined) - before
    return {c: total / math.factorial(len(channels)) for c, total in totals.items()}


def test_shapley_matches_definition_and_closed_form_on_random_journeys():
    rng = random.Random(7)
    channels = ["a", "b", "c", "d", "e", "f"]
    journeys = [(tuple(rng.choices(channels, k=rng.randint(1, 4))), rng.randint(1, 5)) for _ in range(40)]
    closed_form = dict.fromkeys(channels, 0.0)
    for path, value in journeys:
        for channel in set(path):
            closed_form[channel] += value / len(set(path))
    values = shapley.shapley_values(journeys)
    assert values == pytest.approx(brute_force_shapley(journeys))
    assert values == pytest.approx({c: v for c, v in closed_form.items() if c in values})


def test_shapley_refuses_too_many_channels():
    journeys = [((f"c{i}",), 1) for i in range(4)]
    with pytest.raises(shapley.TooManyChannelsError, match="attribution_shapley_max_channels"):
        shapley.shapley_values(journeys, max_channels=3)
    assert len(shapley.shapley_values(journeys, max_channels=4)) == 4


def test_shapley_fifteen_channels_is_exact_and_efficient():
    rng = random.Random(3)
    channels = [f"c{i:02d}" for i in range(15)]
    journeys = [(tuple(rng.sample(channels, rng.randint(1, 5))), 1.0) for _ in range(300)]
    values = shapley.shapley_values(journeys, max_channels=15)
    assert sum(values.values()) == pytest.approx(300.0)


# --- from path rows to journeys (what the dbt models feed the math) -------------------------


def test_markov_journeys_follow_path_position_and_count_outcomes():
    converting = pd.DataFrame(
        {
            "journey_id": ["c1", "c1", "c2", "c3"],
            "conversion_type": ["closed_won"] * 4,
            "path_position": [2, 1, 1, 1],
            "channel": ["email", "paid_search", "email", "email"],
        }
    )
    non_converting = pd.DataFrame(
        {
            "journey_id": ["n1", "n2"],
            "conversion_type": ["closed_won", "lead_created"],
            "path_position": [1, 1],
            "channel": ["email", "direct"],
        }
    )
    journeys = markov.journeys_by_type(converting, non_converting)
    assert journeys == {
        "closed_won": [(("email",), 2.0, 1.0), (("paid_search", "email"), 1.0, 0.0)],
        "lead_created": [(("direct",), 0.0, 1.0)],
    }


def test_shapley_journeys_are_channel_sets_with_revenue():
    paths = pd.DataFrame(
        {
            "conversion_id": ["w1", "w1", "w1", "w2", "w3"],
            "conversion_type": ["closed_won"] * 5,
            "channel": ["email", "direct", "email", "direct", "email"],
            "revenue": [100.0, 100.0, 100.0, 40.0, 10.0],
        }
    )
    assert shapley.journeys_by_type(paths) == {
        "closed_won": [(("direct",), 1.0, 40.0), (("direct", "email"), 1.0, 100.0), (("email",), 1.0, 10.0)]
    }


# --- the dbt entry points, with a stand-in for dbt ------------------------------------------


class FakeRelation:
    def __init__(self, frame: pd.DataFrame):
        self.frame = frame

    def df(self) -> pd.DataFrame:
        return self.frame


class FakeConfig(dict):
    def __call__(self, **kwargs):
        self.update(kwargs)


class FakeDbt:
    def __init__(self, tables: dict[str, pd.DataFrame], meta: dict | None = None):
        self.tables = tables
        self.config = FakeConfig(meta=meta or {})

    def ref(self, name: str) -> FakeRelation:
        return FakeRelation(self.tables[name])


def published_example_rows() -> dict[str, pd.DataFrame]:
    """The two-channel published Markov example as dbt rows: A, A, B, A > B convert (closed
    won, revenue 100 / 100 / 50 / 250), A does not."""
    paths = pd.DataFrame(
        {
            "conversion_id": ["w1", "w2", "w3", "w4", "w4"],
            "conversion_type": ["closed_won"] * 5,
            "path_position": [1, 1, 1, 1, 2],
            "channel": ["A", "A", "B", "A", "B"],
            "revenue": [100.0, 100.0, 50.0, 250.0, 250.0],
        }
    )
    non_converting = pd.DataFrame(
        {"journey_id": ["l1"], "conversion_type": ["closed_won"], "path_position": [1], "channel": ["A"]}
    )
    return {"int_attribution__paths": paths, "int_attribution__non_converting_paths": non_converting}


def test_markov_model_output_rows():
    dbt = FakeDbt(published_example_rows())
    result = markov.model(dbt, session=None).set_index("channel")
    assert dbt.config["materialized"] == "table"
    assert list(result.columns) == markov.OUTPUT_COLUMNS[:2] + markov.OUTPUT_COLUMNS[3:]
    assert set(result["model"]) == {"markov"}
    assert result["attributed_conversions"].to_dict() == pytest.approx({"A": 2.4, "B": 1.6})
    # 500 of revenue split 0.6 / 0.4.
    assert result["attributed_revenue"].to_dict() == pytest.approx({"A": 300.0, "B": 200.0})


def test_shapley_model_output_rows_and_channel_cap():
    # Channel sets: {A} x2 (revenue 200), {B} (50), {A,B} (250): A = 2 + 0.5, B = 1 + 0.5;
    # revenue A = 200 + 125, B = 50 + 125.
    result = shapley.model(FakeDbt(published_example_rows()), session=None).set_index("channel")
    assert result["attributed_conversions"].to_dict() == pytest.approx({"A": 2.5, "B": 1.5})
    assert result["attributed_revenue"].to_dict() == pytest.approx({"A": 325.0, "B": 175.0})
    with pytest.raises(shapley.TooManyChannelsError):
        shapley.model(FakeDbt(published_example_rows(), meta={"shapley_max_channels": "1"}), session=None)


def test_models_return_typed_empty_frames_without_conversions():
    empty = {name: frame.iloc[0:0] for name, frame in published_example_rows().items()}
    for module in (markov, shapley):
        result = module.model(FakeDbt(empty), session=None)
        assert list(result.columns) == module.OUTPUT_COLUMNS
        assert result.empty


# --- Markov per-conversion split (raking) ----------------------------------------------------


def test_default_shapley_cap_admits_every_default_channel():
    """With the default seeds every channel can reach a conversion path (the demo's does): the
    default cap must not stop the build of a project that changed nothing."""
    import csv

    import yaml

    project = Path(__file__).resolve().parents[2]
    with open(project / "seeds" / "touchpoint_channel_intent_weights.csv", newline="") as seed:
        channels = {row["channel"] for row in csv.DictReader(seed)}
    cap = yaml.safe_load((project / "dbt_project.yml").read_text())["vars"]["attribution_shapley_max_channels"]
    assert cap >= len(channels), f"{len(channels)} default channels, cap {cap}"
    assert shapley.DEFAULT_MAX_CHANNELS == cap
