"""backend.telegram.texts: what a post says for each state of its conversation, and what it
never says."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from backend.telegram import texts

REQUESTED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # 10:00 in Amsterdam


def _view(**changes) -> texts.PostView:
    values = dict(conversation_id="c1", state="waiting_for_human", channel="voice",
                  reason="asked", requested_at=REQUESTED, callback=False, theme="data",
                  ticket_reference="WP-2026-00001")
    values.update(changes)
    return texts.PostView(**values)


@pytest.mark.parametrize(("changes", "line", "button"), [
    ({}, texts.WAITING, True),
    ({"callback": True}, texts.CALLBACK_WAITING, True),
    ({"state": "human", "claimer": "Sanne", "claimed_via": "dashboard",
      "claimed_at": REQUESTED + timedelta(minutes=4)},
     "Opgepakt door Sanne via dashboard na 4 min.", False),
    ({"state": "human", "claimer": "Anna", "claimed_via": "telegram",
      "claimed_at": REQUESTED + timedelta(minutes=75)},
     texts.claimed_line("Anna", 75), False),
    ({"state": "human", "claimed_via": "phone", "claimed_at": REQUESTED},
     "Doorverbonden: de helpdesk heeft de beller aan de telefoon (na 0 min).", False),
    ({"state": "bot"}, texts.RELEASED, False),
    ({"state": "closed", "outcome": "doorverwezen: gebeld met Jan de Vries, 0612345678"},
     "Afgesloten (doorverwezen).", False),
    ({"state": "closed", "outcome": None}, "Afgesloten (afgehandeld).", False),
    ({"superseded": True}, texts.SUPERSEDED, False),
])
def test_the_status_line_and_the_button_follow_the_state(changes, line, button):
    view = _view(**changes)
    text = texts.render(view, REQUESTED + timedelta(minutes=5))
    assert text.endswith(line)
    assert texts.has_button(view) is button
    assert "Jan de Vries" not in text and "0612345678" not in text


def test_a_callback_post_names_why_and_its_reference():
    text = texts.render(_view(callback=True, callback_reason="claim_timeout",
                              callback_reference="TB-2026-00012"), REQUESTED)
    assert text.startswith("Terugbelverzoek: niemand pakte het op tijd op\n")
    assert "Kanaal: telefoon" in text and "Terugbelverzoek: TB-2026-00012" in text
    # without a request record (a web request outside office hours): the old title
    assert texts.render(_view(callback=True), REQUESTED).startswith(
        "Terugbelverzoek: de helpdesk was dicht")


def test_a_students_own_line_wins_and_who_has_it_reads_well():
    assert texts.render(_view(state="bot"), REQUESTED, "Teruggegeven aan de bot door Anna.") \
        .endswith("Teruggegeven aan de bot door Anna.")
    assert texts.holder("Sanne", "dashboard") == "Sanne via dashboard"
    assert texts.holder(None, "phone") == "de helpdesk aan de telefoon"
    assert texts.holder("Anna", "telegram") == "Anna"
    assert texts.taken_by(texts.holder("Sanne", "dashboard")) == (
        "Al opgepakt door Sanne via dashboard.")
