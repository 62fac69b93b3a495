"""The theme model: for any message, a probability per theme (online_marketing_sales, data,
automatisering, overig). Words and word pairs, character n-grams (typos, WhatsApp spelling) and
the domain lexicon (bot/theme_lexicon.py) feed a multinomial logistic regression with balanced
class weights, so the scores are probabilities that can be calibrated and aggregated over turns.

No rasa imports: the Rasa component (bot/components/theme_classifier.py), the evaluation and
the tests use it directly. The model is small and deterministic, so it is stored as its
training examples and refitted on load (a second), which avoids pickles tied to one version."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from bot.parsing import normalise
from bot.theme_lexicon import lexicon_features

THEMES = ("online_marketing_sales", "data", "automatisering", "overig")
INTENT_PREFIX = "describe_need_"
DEFAULTS = {"C": 20.0, "lexicon_weight": 0.5, "char_min_df": 2}


class ThemeModel:
    def __init__(self, C: float = DEFAULTS["C"], lexicon_weight: float = DEFAULTS["lexicon_weight"],
                 char_min_df: int = DEFAULTS["char_min_df"]) -> None:
        self.C = float(C)
        self.lexicon_weight = float(lexicon_weight)
        self.char_min_df = int(char_min_df)
        self.words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
        self.chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True,
                                     min_df=self.char_min_df)
        self.classifier = LogisticRegression(C=self.C, max_iter=5000, class_weight="balanced")
        self.fitted = False

    def _matrix(self, texts: Sequence[str], fit: bool = False):
        clean = [normalise(t) for t in texts]
        if fit:
            words, chars = self.words.fit_transform(clean), self.chars.fit_transform(clean)
        else:
            words, chars = self.words.transform(clean), self.chars.transform(clean)
        lexicon = sp.csr_matrix(np.array([lexicon_features(t) for t in clean])
                                * self.lexicon_weight)
        return sp.hstack([words, chars, lexicon]).tocsr()

    def fit(self, texts: Sequence[str], themes: Sequence[str]) -> ThemeModel:
        unknown = set(themes) - set(THEMES)
        if unknown:
            raise ValueError(f"unknown themes in the training data: {sorted(unknown)}")
        missing = set(THEMES) - set(themes)
        if missing:
            raise ValueError(f"no training examples for: {sorted(missing)}")
        self.classifier.fit(self._matrix(texts, fit=True), list(themes))
        self.fitted = True
        return self

    def predict_proba(self, texts: Sequence[str]) -> list[dict[str, float]]:
        if not self.fitted:
            raise RuntimeError("the theme model is not trained")
        probs = self.classifier.predict_proba(self._matrix(texts))
        order = list(self.classifier.classes_)
        return [{theme: float(row[order.index(theme)]) for theme in THEMES} for row in probs]

    def scores(self, text: str) -> dict[str, float]:
        return self.predict_proba([text])[0]


# Sentence ends, and clause boundaries where a second topic usually starts ("..., en een
# dashboard met marges", "..., maar ook ...", "daarnaast ...").
SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+|,\s+(?=(?:en|maar|ook|daarnaast|verder)\s)")
MIN_SENTENCE_WORDS = 3


def sentences(text: str) -> list[str]:
    """The sentences of a message worth scoring on their own (spoken style has no punctuation
    and stays one piece)."""
    parts = [p.strip() for p in SENTENCE_END.split(text or "") if p and p.strip()]
    return [p for p in parts if len(p.split()) >= MIN_SENTENCE_WORDS]


def examples_from_intents(pairs: Iterable[tuple[str, str | None]]) -> tuple[list[str], list[str]]:
    """(text, intent) pairs -> the texts and themes of the describe_need_* examples."""
    texts, themes = [], []
    for text, intent in pairs:
        if intent and intent.startswith(INTENT_PREFIX) and text:
            texts.append(text)
            themes.append(intent[len(INTENT_PREFIX):])
    return texts, themes
