"""The vraagarticulatie turns collect the theme component's scores as evidence; the ticket's
themes come from their aggregate, not from the intent ranking."""

from __future__ import annotations

import copy

import pytest

from actions.form_order import theme_scores_of
from tests.actions.helpers import build_tracker, load_fixture, run_form

DATA_SCORES = {"online_marketing_sales": 0.15, "data": 0.7, "automatisering": 0.1,
               "overig": 0.05}


def _with_theme_scores(scores: dict, text: str | None = None) -> dict:
    state = copy.deepcopy(load_fixture("new_intake"))
    state["latest_message"]["theme_scores"] = scores
    if text is not None:
        state["latest_message"]["text"] = text
    return state


async def test_description_evidence_uses_the_theme_components_scores(domain):
    # The intent ranking says marketing; the theme component says data: the component wins.
    tracker = build_tracker(_with_theme_scores(DATA_SCORES), domain=domain)
    _events, _dispatcher, slots = await run_form(tracker, domain)
    [[scores, weight]] = slots["theme_evidence"]
    assert max(scores, key=scores.get) == "data"
    assert scores["data"] == pytest.approx(0.7)
    assert weight == len(tracker.latest_message["text"].split())


async def test_evidence_of_several_turns_is_aggregated_by_length(domain):
    first = build_tracker(_with_theme_scores(DATA_SCORES), domain=domain)
    _e, _d, slots = await run_form(first, domain)
    marketing = {"online_marketing_sales": 0.9, "data": 0.05, "automatisering": 0.03,
                 "overig": 0.02}
    second_state = _with_theme_scores(marketing, text="en meer mensen in de winkel krijgen")
    second_state["requested_slot"] = "need_goal"
    second_state["slots"] = {"need_description": slots["need_description"],
                             "theme_evidence": slots["theme_evidence"]}
    second = build_tracker(second_state, domain=domain)
    _e, _d, slots2 = await run_form(second, domain)
    evidence = slots2["theme_evidence"]
    assert len(evidence) == 2
    combined = theme_scores_of({"theme_evidence": evidence})
    assert sum(combined.values()) == pytest.approx(1.0)
    # the long first turn (data) outweighs the short goal (marketing, half weight)
    assert max(combined, key=combined.get) == "data"
    assert combined["online_marketing_sales"] > DATA_SCORES["online_marketing_sales"]
