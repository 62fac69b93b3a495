"""/api/v1/classify with the NLU's theme component: its per-theme probabilities win over the
theme intents' confidences."""

from __future__ import annotations

import pytest

CLASSIFY = "/api/v1/classify"


def test_classify_uses_the_theme_components_scores(client, fake_rasa, staff):
    fake_rasa.parse_ranking = [{"name": "describe_need_online_marketing_sales",
                                "confidence": 0.9}]
    fake_rasa.parse_theme_scores = {"online_marketing_sales": 0.2, "data": 0.5,
                                    "automatisering": 0.25, "overig": 0.05}
    body = client.post(CLASSIFY, json={"text": "welke klanten leveren het meest op"},
                       headers=staff).json()
    assert body["theme"] == "data"
    assert [t["theme"] for t in body["themes"]] == [
        "data", "automatisering", "online_marketing_sales", "overig"]
    assert body["themes"][0]["confidence"] == pytest.approx(0.5)


def test_classify_renormalises_partial_theme_scores(client, fake_rasa, staff):
    fake_rasa.parse_theme_scores = {"data": 3.0, "overig": 1.0}
    body = client.post(CLASSIFY, json={"text": "iets"}, headers=staff).json()
    assert body["theme"] == "data"
    by_theme = {t["theme"]: t["confidence"] for t in body["themes"]}
    assert by_theme == {"data": 0.75, "overig": 0.25, "online_marketing_sales": 0.0,
                        "automatisering": 0.0}
