"""bot.theme_scores: from the NLU's intent ranking to themes."""

from __future__ import annotations

import pytest

from bot import theme_scores as ts


def _ranking(**confidences):
    return [{"name": f"describe_need_{theme}", "confidence": c}
            for theme, c in confidences.items()]


def test_scores_are_normalised_over_the_theme_intents_only():
    ranking = [
        {"name": "describe_need_data", "confidence": 0.6},
        {"name": "describe_need_automatisering", "confidence": 0.2},
        {"name": "inform", "confidence": 0.15},
        {"name": "nlu_fallback", "confidence": 0.7},
    ]
    scores = ts.theme_scores(ranking)
    assert set(scores) == set(ts.THEMES)
    assert sum(scores.values()) == pytest.approx(1.0)
    assert scores["data"] == pytest.approx(0.75)
    assert scores["automatisering"] == pytest.approx(0.25)
    assert scores["online_marketing_sales"] == 0.0


@pytest.mark.parametrize(
    "ranking",
    [[], None, [{"name": "greet", "confidence": 0.99}],
     [{"name": "describe_need_data", "confidence": None}]],
)
def test_no_theme_evidence_means_overig(ranking):
    assert ts.theme_scores(ranking) == {
        "online_marketing_sales": 0.0, "data": 0.0, "automatisering": 0.0, "overig": 1.0,
    }


def test_duplicate_intents_count_once_with_the_highest_confidence():
    ranking = _ranking(data=0.2) + _ranking(data=0.6, overig=0.2)
    assert ts.theme_scores(ranking)["data"] == pytest.approx(0.75)


def test_aggregate_weights_turns():
    long_turn = ({"data": 1.0}, 30)  # 30 words about data
    short_turn = ({"online_marketing_sales": 1.0}, 10)
    scores = ts.aggregate([long_turn, short_turn])
    assert scores["data"] == pytest.approx(0.75)
    assert scores["online_marketing_sales"] == pytest.approx(0.25)
    assert sum(scores.values()) == pytest.approx(1.0)


def test_aggregate_with_equal_weights_is_the_mean():
    a = ts.theme_scores(_ranking(data=0.8, automatisering=0.2))
    b = ts.theme_scores(_ranking(data=0.4, automatisering=0.6))
    scores = ts.aggregate([(a, 1), (b, 1)])
    assert scores["data"] == pytest.approx(0.6)
    assert scores["automatisering"] == pytest.approx(0.4)


@pytest.mark.parametrize("turns", [[], [({"data": 1.0}, 0)]])
def test_aggregate_without_weight_falls_back_to_overig(turns):
    assert ts.aggregate(turns)["overig"] == 1.0


def test_ranked_is_sorted_rounded_and_stable_on_ties():
    scores = {"data": 0.123456, "overig": 0.4, "automatisering": 0.4}
    assert ts.ranked(scores) == [
        {"theme": "automatisering", "confidence": 0.4},
        {"theme": "overig", "confidence": 0.4},
        {"theme": "data", "confidence": 0.123},
        {"theme": "online_marketing_sales", "confidence": 0.0},
    ]


IS_UNSURE = [
    ({"data": 0.9, "overig": 0.1}, False),
    ({"data": 0.7, "automatisering": 0.3}, False),
    ({"data": 0.55, "automatisering": 0.3, "overig": 0.15}, False),
    ({"data": 0.54, "automatisering": 0.2, "overig": 0.26}, True),  # top too low
    ({"data": 0.56, "automatisering": 0.44}, True),  # margin too small
    ({"data": 0.5, "automatisering": 0.5}, True),
    ({"overig": 1.0}, False),
]


@pytest.mark.parametrize(("scores", "expected"), IS_UNSURE)
def test_is_unsure(scores, expected):
    assert ts.is_unsure(scores) is expected


APPLICABLE = [
    ({"data": 0.9, "overig": 0.1}, ["data"]),
    ({"data": 0.6, "automatisering": 0.4}, ["data", "automatisering"]),
    ({"online_marketing_sales": 0.4, "data": 0.3, "automatisering": 0.3},
     ["online_marketing_sales", "data", "automatisering"]),
    ({"data": 0.71, "automatisering": 0.29}, ["data"]),
    ({}, ["online_marketing_sales"]),
]


@pytest.mark.parametrize(("scores", "expected"), APPLICABLE)
def test_applicable_is_multi_label(scores, expected):
    assert ts.applicable(scores) == expected


def test_every_theme_has_a_dutch_label():
    assert set(ts.THEME_LABELS) == set(ts.THEMES)
    assert set(ts.THEME_INTENTS.values()) == set(ts.THEMES)


# --- scores of a parse result (the theme component's output, else the intent ranking) -------


def test_parse_with_theme_scores_uses_them_and_ignores_the_ranking():
    parse = {"theme_scores": {"online_marketing_sales": 0.1, "data": 0.6, "automatisering": 0.2,
                              "overig": 0.1},
             "intent_ranking": _ranking(online_marketing_sales=0.9)}
    scores = ts.scores_of_parse(parse)
    assert max(scores, key=scores.get) == "data"
    assert sum(scores.values()) == pytest.approx(1.0)


def test_parse_without_theme_scores_falls_back_to_the_ranking():
    parse = {"intent_ranking": _ranking(data=0.3, automatisering=0.1)}
    assert ts.scores_of_parse(parse) == ts.theme_scores(parse["intent_ranking"])


@pytest.mark.parametrize("bad", [None, {}, {"theme_scores": "x"},
                                 {"theme_scores": {"data": 0, "overig": -1}}])
def test_parse_without_usable_scores_still_gives_scores(bad):
    scores = ts.scores_of_parse(bad)
    assert set(scores) == set(ts.THEMES)
    assert sum(scores.values()) == pytest.approx(1.0)


def test_a_clear_substantial_turn_adds_its_theme():
    shop = {"online_marketing_sales": 0.9, "data": 0.04, "automatisering": 0.04, "overig": 0.02}
    stock = {"online_marketing_sales": 0.1, "data": 0.1, "automatisering": 0.75, "overig": 0.05}
    evidence = [(shop, 20), (shop, 15), (stock, 8)]
    scores = ts.aggregate(evidence)
    assert scores["automatisering"] < ts.SECOND_THEME_SHARE  # the average alone misses it
    assert ts.applicable(scores) == ["online_marketing_sales"]
    assert ts.applicable(scores, evidence) == ["online_marketing_sales", "automatisering"]


def test_a_short_or_unsure_turn_adds_nothing():
    shop = {"online_marketing_sales": 0.9, "data": 0.04, "automatisering": 0.04, "overig": 0.02}
    short = {"online_marketing_sales": 0.1, "data": 0.8, "automatisering": 0.05, "overig": 0.05}
    unsure = {"online_marketing_sales": 0.3, "data": 0.3, "automatisering": 0.35, "overig": 0.05}
    evidence = [(shop, 30), (short, ts.TURN_MIN_WEIGHT - 1), (unsure, 10)]
    assert ts.applicable(ts.aggregate(evidence), evidence) == ["online_marketing_sales"]


def test_a_turn_with_scored_sentences_gives_evidence_per_sentence():
    shop = {"online_marketing_sales": 0.9, "data": 0.05, "automatisering": 0.03, "overig": 0.02}
    figures = {"online_marketing_sales": 0.1, "data": 0.8, "automatisering": 0.05,
               "overig": 0.05}
    parse = {"text": "een lange tekst", "theme_scores": shop,
             "theme_sentences": [{"words": 12, "scores": shop}, {"words": 8, "scores": figures}]}
    evidence = ts.evidence_of_parse(parse, weight=0.5)
    assert [w for _, w in evidence] == [6.0, 4.0]
    assert max(evidence[1][0], key=evidence[1][0].get) == "data"
    assert ts.applicable(ts.aggregate(evidence), evidence) == ["online_marketing_sales", "data"]


def test_a_turn_without_sentences_is_one_piece_of_evidence():
    parse = {"text": "we willen meer klanten via google",
             "theme_scores": {"online_marketing_sales": 0.8, "data": 0.2}}
    [(scores, weight)] = ts.evidence_of_parse(parse)
    assert weight == 6 and scores["online_marketing_sales"] == pytest.approx(0.8)
    assert ts.evidence_of_parse({"text": "x " * 100})[0][1] == 40  # long turns are capped
