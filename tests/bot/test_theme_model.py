"""bot.theme_model and bot.theme_lexicon: a probability per theme for any message."""

from __future__ import annotations

import pytest

from bot.parsing import normalise
from bot.theme_lexicon import LEXICON, N_FEATURES, lexicon_features, matched
from bot.theme_model import THEMES, ThemeModel, examples_from_intents

# A tiny, made-up training set: enough words per theme for the model to separate them.
TRAIN = {
    "online_marketing_sales": ["meer klanten via instagram", "mijn website wordt niet gevonden",
                               "webshop verkoopt niks", "nieuwsbrief en facebook advertenties"],
    "data": ["ik wil inzicht in mijn cijfers", "een dashboard met de omzet per maand",
             "excel lijsten analyseren", "welke klanten leveren het meest op"],
    "automatisering": ["facturen maken kost te veel tijd", "planning gaat nog op papier",
                       "urenregistratie automatiseren", "boekhouding koppelen aan de kassa"],
    "overig": ["we zijn gehackt", "hoe zit het met de avg", "cursus voor personeel",
               "subsidie voor digitalisering"],
}


def _fit(**kwargs) -> ThemeModel:
    texts = [t for theme in THEMES for t in TRAIN[theme]]
    themes = [theme for theme in THEMES for _ in TRAIN[theme]]
    return ThemeModel(**kwargs).fit(texts, themes)


def test_scores_are_probabilities_over_all_themes():
    scores = _fit().scores("hoe krijg ik meer klanten op mijn website")
    assert set(scores) == set(THEMES)
    assert sum(scores.values()) == pytest.approx(1.0)
    assert all(0.0 <= v <= 1.0 for v in scores.values())
    assert max(scores, key=scores.get) == "online_marketing_sales"


@pytest.mark.parametrize("text, theme", [
    ("een overzicht van de cijfers in een dashboard", "data"),
    ("de facturen en de planning automatiseren", "automatisering"),
    ("phishing mail ontvangen, zijn we gehackt?", "overig"),
    ("MEER KLANTEN VIA INSTAGRAM!!! 😀", "online_marketing_sales"),
])
def test_unseen_messages_get_the_theme_their_words_point_to(text, theme):
    scores = _fit().scores(text)
    assert max(scores, key=scores.get) == theme


def test_the_lexicon_carries_words_the_examples_never_used():
    # "ransomware" and "verwerkersovereenkomst" are not in TRAIN, only in the lexicon.
    with_lexicon = _fit(lexicon_weight=1.0).scores("ransomware en een verwerkersovereenkomst")
    without = _fit(lexicon_weight=0.0).scores("ransomware en een verwerkersovereenkomst")
    assert with_lexicon["overig"] > without["overig"]
    assert max(with_lexicon, key=with_lexicon.get) == "overig"


def test_training_is_deterministic():
    a = _fit().predict_proba(["excel en facturen", "website"])
    b = _fit().predict_proba(["excel en facturen", "website"])
    assert a == b


def test_unknown_or_missing_themes_are_refused():
    with pytest.raises(ValueError, match="unknown themes"):
        ThemeModel().fit(["a", "b"], ["data", "marketing"])
    with pytest.raises(ValueError, match="no training examples for"):
        ThemeModel().fit(["a", "b"], ["data", "overig"])
    with pytest.raises(RuntimeError):
        ThemeModel().scores("iets")


def test_examples_come_from_the_theme_intents_only():
    texts, themes = examples_from_intents([
        ("webshop", "describe_need_online_marketing_sales"), ("hallo", "greet"),
        ("", "describe_need_data"), ("gehackt", "describe_need_overig"), ("x", None)])
    assert texts == ["webshop", "gehackt"]
    assert themes == ["online_marketing_sales", "overig"]


def test_lexicon_features_have_a_fixed_length_and_count_hits_per_theme():
    empty = lexicon_features(normalise("goedemorgen"))
    assert len(empty) == N_FEATURES and sum(empty) == 0
    hits = lexicon_features(normalise("Onze webshop is gehackt, phishing!"))
    assert len(hits) == N_FEATURES and sum(hits) > 0
    found = matched(normalise("Onze webshop is gehackt, phishing!"))
    assert set(found) == {"online_marketing_sales", "overig"}
    assert set(LEXICON) == set(THEMES)


def test_sentences_worth_scoring_on_their_own():
    from bot.theme_model import sentences

    assert sentences("We hebben een webshop. De voorraad staat in Excel! Ok.") == [
        "We hebben een webshop.", "De voorraad staat in Excel!"]
    assert sentences("eh nou wij hebben een webshop en de voorraad klopt nooit") == [
        "eh nou wij hebben een webshop en de voorraad klopt nooit"]
    assert sentences("") == []
    assert sentences("Orders die automatisch in het systeem komen, en een dashboard met marges") \
        == ["Orders die automatisch in het systeem komen", "en een dashboard met marges"]
