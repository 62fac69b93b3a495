"""The voice turn budget: Twilio waits at most 15 s for TwiML. A bot slower than
VOICE_TURN_TIMEOUT gets "Een ogenblikje." and a <Redirect> to a URL that answers with the
finished turn; the caller's answer is recorded first and reaches the bot once."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from tests.backend.voice_helpers import (
    PENDING,
    answer,
    call,
    conversation,
    follow,
    new_call,
    says,
    sent_to_bot,
    transcript,
)
from tests.backend.whatsapp_helpers import GREETING, PUBLIC, eventually, new_phone, post, script
from tests.backend.whatsapp_helpers import whatsapp_app as app_for

BUDGET = 0.4  # seconds (VOICE_TURN_TIMEOUT)


@pytest.fixture
def slow_line(migrated, fake_rasa, twilio):
    script(fake_rasa)
    with app_for(migrated, fake_rasa, twilio, voice_turn_timeout=BUDGET) as client:
        yield client
        fake_rasa.delay = 0


def waiting(root: ET.Element) -> str:
    """A 'one moment' answer: the URL Twilio is sent to next."""
    assert says(root) == ["Een ogenblikje."] and root.find("Gather") is None
    redirect = root.find("Redirect")
    assert redirect.get("method") == "POST"
    return redirect.text


def test_a_slow_turn_answers_after_a_moment(slow_line, fake_rasa):
    phone, sid = new_phone(), new_call()
    root = call(slow_line, sid, phone)
    assert says(root) == [GREETING]
    fake_rasa.delay = 3 * BUDGET
    # The bot needs three budgets: the webhook answers "a moment" with a redirect instead of
    # waiting (how fast it does so is measured in `make bench`, not asserted here).
    root = answer(slow_line, root, sid, phone, SpeechResult="Ik heb een bakkerij")
    url = waiting(root)
    assert url == PUBLIC + PENDING + "?wait=1"
    c = conversation(slow_line, sid)
    assert transcript(slow_line, c.id)[-1] == ("user", "Ik heb een bakkerij")  # not lost
    redirects = 1
    while root.find("Gather") is None:
        root = follow(slow_line, url, sid, phone)
        if root.find("Gather") is None:
            url = waiting(root)
            redirects += 1
        assert redirects < 10
    assert says(root) == ["echo: Ik heb een bakkerij"]
    assert sent_to_bot(fake_rasa, c.id) == ["/start_intake", "Ik heb een bakkerij"]  # once
    # the next turn is fast again
    fake_rasa.delay = 0
    root = answer(slow_line, root, sid, phone, SpeechResult="Brood en taart")
    assert says(root) == ["echo: Brood en taart"]


def test_a_slow_greeting_waits_too(slow_line, fake_rasa):
    fake_rasa.delay = 2 * BUDGET
    phone, sid = new_phone(), new_call()
    url = waiting(call(slow_line, sid, phone))
    root = follow(slow_line, url, sid, phone)
    while root.find("Gather") is None:
        root = follow(slow_line, waiting(root), sid, phone)
    assert says(root) == [GREETING]


def test_the_pending_url_without_a_running_turn_says_what_the_transcript_holds(slow_line):
    """A restart lost the running turn: the caller hears the last question again."""
    phone, sid = new_phone(), new_call()
    call(slow_line, sid, phone)
    root = follow(slow_line, PUBLIC + PENDING + "?wait=1", sid, phone)
    assert says(root) == [GREETING] and root.find("Gather") is not None


def test_a_turn_that_takes_far_too_long_asks_to_say_it_again(slow_line, fake_rasa):
    phone, sid = new_phone(), new_call()
    root = call(slow_line, sid, phone)
    fake_rasa.delay = 12 * BUDGET
    url = waiting(answer(slow_line, root, sid, phone, SpeechResult="Wij maken meubels"))
    for _ in range(10):
        root = follow(slow_line, url, sid, phone)
        if root.find("Redirect") is None or root.find("Gather") is not None:
            break
        url = waiting(root)
    assert says(root) == ["Sorry, dat duurde te lang. Kun je het nog eens zeggen?"]
    assert root.find("Gather") is not None
    c = conversation(slow_line, sid)
    # the turn went on in the background: its answer is in the transcript
    eventually(lambda: transcript(slow_line, c.id)[-1] == ("bot", "echo: Wij maken meubels"),
               timeout=15, what="the slow answer recorded")


def test_the_pending_url_is_signed_and_knows_the_call(slow_line):
    phone, sid = new_phone(), new_call()
    call(slow_line, sid, phone)
    params = {"CallSid": sid, "From": phone}
    assert slow_line.post(PENDING, data=params).status_code == 403
    assert post(slow_line, {"CallSid": new_call(), "From": phone},
                path=PENDING).status_code == 404


def test_a_turn_that_fails_asks_to_say_it_again(slow_line, monkeypatch):
    from backend.channels import voice_store

    phone, sid = new_phone(), new_call()
    root = call(slow_line, sid, phone)

    def broken(*_args):
        raise RuntimeError("database away")

    monkeypatch.setattr(voice_store, "last_bot_turn", broken)
    root = answer(slow_line, root, sid, phone, SpeechResult="Wij maken meubels")
    assert says(root) == ["Sorry, daar ging iets mis. Kun je het nog eens zeggen?"]
    assert root.find("Gather") is not None
