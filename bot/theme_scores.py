"""Theme scores of a parsed message and their aggregation over turns. Pure Python (no rasa
imports): used by the actions (aggregating over the turns where the entrepreneur describes the
question) and by the backend's /api/v1/classify.

The NLU's theme component (bot/components/theme_classifier.py) puts `theme_scores` in every
parse result; a model without it falls back to the theme intents' confidences."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

THEME_INTENTS = {
    "describe_need_online_marketing_sales": "online_marketing_sales",
    "describe_need_data": "data",
    "describe_need_automatisering": "automatisering",
    "describe_need_overig": "overig",
}
THEMES = tuple(THEME_INTENTS.values())
THEME_LABELS = {
    "online_marketing_sales": "online marketing en verkoop",
    "data": "slimmer werken met gegevens (data)",
    "automatisering": "automatisering van je werk",
    "overig": "iets anders",
}
UNSURE_TOP = 0.55
UNSURE_MARGIN = 0.15
SECOND_THEME_SHARE = 0.3
TURN_THEME_SCORE = 0.7
TURN_MIN_WEIGHT = 3


def theme_scores(intent_ranking: Iterable[Mapping]) -> dict[str, float]:
    """Scores per theme that sum to 1, from the theme intents' confidences in one message."""
    raw = {theme: 0.0 for theme in THEMES}
    for item in intent_ranking or []:
        theme = THEME_INTENTS.get(str(item.get("name")))
        if theme:
            raw[theme] = max(raw[theme], float(item.get("confidence") or 0.0))
    total = sum(raw.values())
    if total <= 0:
        return {theme: (1.0 if theme == "overig" else 0.0) for theme in THEMES}
    return {theme: value / total for theme, value in raw.items()}


def scores_of_parse(parse_data: Mapping | None) -> dict[str, float]:
    """Scores per theme (summing to 1) of one parsed message: the theme component's
    probabilities when present, else the theme intents in the intent ranking."""
    parse_data = parse_data or {}
    given = parse_data.get("theme_scores")
    if isinstance(given, Mapping):
        raw = {theme: max(0.0, float(given.get(theme) or 0.0)) for theme in THEMES}
        total = sum(raw.values())
        if total > 0:
            return {theme: value / total for theme, value in raw.items()}
    return theme_scores(parse_data.get("intent_ranking") or [])


def evidence_of_parse(parse_data: Mapping | None, weight: float = 1.0,
                      max_words: int = 40) -> list[tuple[dict[str, float], float]]:
    """One turn as evidence: (scores, weight) per sentence when the theme component scored the
    sentences of a longer message, else for the whole message; weight = words x `weight`."""
    parse_data = parse_data or {}
    parts = parse_data.get("theme_sentences")
    if isinstance(parts, list) and parts:
        out = []
        for part in parts:
            if isinstance(part, Mapping) and isinstance(part.get("scores"), Mapping):
                words = max(1, min(int(part.get("words") or 1), max_words))
                out.append((scores_of_parse({"theme_scores": part["scores"]}), words * weight))
        if out:
            return out
    words = max(1, min(len(str(parse_data.get("text") or "").split()), max_words))
    return [(scores_of_parse(parse_data), words * weight)]


def aggregate(turns: Iterable[tuple[Mapping[str, float], float]]) -> dict[str, float]:
    """Weighted mean of per-turn scores: (scores, weight) pairs, e.g. weight = words in turn."""
    acc = {theme: 0.0 for theme in THEMES}
    total = 0.0
    for scores, weight in turns:
        for theme in THEMES:
            acc[theme] += float(scores.get(theme, 0.0)) * weight
        total += weight
    if total <= 0:
        return theme_scores([])
    return {theme: value / total for theme, value in acc.items()}


def ranked(scores: Mapping[str, float]) -> list[dict]:
    """[{theme, confidence}] highest first, rounded for display and storage."""
    order = sorted(THEMES, key=lambda t: (-scores.get(t, 0.0), THEMES.index(t)))
    return [{"theme": t, "confidence": round(float(scores.get(t, 0.0)), 3)} for t in order]


def is_unsure(scores: Mapping[str, float]) -> bool:
    top = ranked(scores)
    return top[0]["confidence"] < UNSURE_TOP or (
        top[0]["confidence"] - top[1]["confidence"] < UNSURE_MARGIN
    )


def applicable(scores: Mapping[str, float],
               evidence: Iterable[tuple[Mapping[str, float], float]] = ()) -> list[str]:
    """The themes that apply (multi-label): the top theme, every theme with a real share of the
    aggregated evidence, and every theme one substantial turn was clearly about (an
    entrepreneur often tells one side of a two-sided question per turn).

    The thresholds were chosen on synthetic multi-turn questions built from the training data
    (out-of-fold scores), not on the held-out test file."""
    top = ranked(scores)
    chosen = [top[0]["theme"]] + [
        item["theme"] for item in top[1:] if item["confidence"] >= SECOND_THEME_SHARE
    ]
    for turn, weight in evidence:
        if weight < TURN_MIN_WEIGHT:
            continue
        for theme in THEMES:
            if theme not in chosen and float(turn.get(theme, 0.0)) >= TURN_THEME_SCORE:
                chosen.append(theme)
    return chosen
