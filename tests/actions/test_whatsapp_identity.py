"""WhatsApp: the hub's metadata makes the number the contact's phone (not asked) and the
profile name a suggestion the bot confirms. Web chat (no metadata) is unchanged."""

from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.ask_actions import AskContactName
from actions.channel_identity import channel_identity, usable_name
from actions.conversation import Greet, RestartIntake
from tests.actions.helpers import build_tracker, run_form, slot_events, texts

PHONE = "+31612345678"
WHATSAPP = {"channel": "whatsapp", "phone": PHONE, "profile_name": "Anna de Boer 🌷"}


def with_metadata(tracker, metadata: dict):
    tracker.latest_message["metadata"] = metadata
    for event in tracker.events:
        if event.get("event") == "user":
            event["metadata"] = metadata
    return tracker


def greet_tracker(domain, metadata: dict | None):
    tracker = build_tracker("new_intake", text="/start_intake", intent="start_intake",
                            requested_slot=None, domain=domain)
    return with_metadata(tracker, metadata) if metadata is not None else tracker


async def test_greet_on_whatsapp_knows_the_phone_and_suggests_the_name(domain):
    dispatcher = CollectingDispatcher()
    events = await Greet().run(dispatcher, greet_tracker(domain, WHATSAPP), domain)
    assert slot_events(events) == {"contact_phone": PHONE, "profile_name": "Anna de Boer"}
    assert "digitale assistent" in texts(dispatcher)[0]


@pytest.mark.parametrize("metadata", [None, {}, {"channel": "webchat"},
                                      {"channel": "whatsapp", "phone": "0612"}])
async def test_greet_elsewhere_sets_nothing(domain, metadata):
    events = await Greet().run(CollectingDispatcher(), greet_tracker(domain, metadata), domain)
    assert events == []


@pytest.mark.parametrize("raw, name", [
    ("Anna", "Anna"), ("Anna de Boer 🌷", "Anna de Boer"), ("Jan-Willem", "Jan-Willem"),
    ("~", None), ("🌷🌷", None), ("+31 6 1234 5678", None), ("", None), (None, None),
    ("De beste bakker van heel Utrecht en omstreken", None),
])
def test_only_a_usable_profile_name_is_suggested(raw, name):
    assert usable_name(raw) == name


def test_the_identity_is_found_in_earlier_messages_too(domain):
    tracker = build_tracker("contact", domain=domain)
    tracker.events.insert(0, {"event": "user", "text": "/start_intake", "metadata": WHATSAPP})
    assert channel_identity(tracker)["phone"] == PHONE


async def test_the_name_question_becomes_a_confirmation(domain):
    tracker = build_tracker("contact", requested_slot="contact_name", domain=domain,
                            slots={"contact_name": None, "profile_name": "Anna"})
    dispatcher = CollectingDispatcher()
    assert await AskContactName().run(dispatcher, tracker, domain) == []
    [message] = dispatcher.messages
    assert message["text"].startswith("Mag ik je Anna noemen?")
    assert [b["payload"] for b in message["buttons"]] == ["ja", "nee"]


async def test_without_a_profile_name_the_usual_question_is_asked(domain):
    tracker = build_tracker("contact", requested_slot="contact_name", domain=domain,
                            slots={"contact_name": None})
    dispatcher = CollectingDispatcher()
    await AskContactName().run(dispatcher, tracker, domain)
    assert dispatcher.messages[0]["response"] == "utter_ask_contact_name"
    assert "action_ask_contact_name" in domain["actions"]
    assert domain["slots"]["profile_name"]["influence_conversation"] is False


@pytest.mark.parametrize("answer, intent, name, profile", [
    ("ja", "affirm", "Anna de Boer", "Anna de Boer"),
    ("ja hoor, prima", "affirm", "Anna de Boer", "Anna de Boer"),
    ("nee", "deny", None, None),
    ("nee, ik heet Annie", "deny", "Annie", "Anna de Boer"),
    ("nee noem me maar Ans", "deny", "Ans", "Anna de Boer"),
    ("Johanna", "inform", "Johanna", "Anna de Boer"),
])
async def test_the_confirmation_is_answered(domain, answer, intent, name, profile):
    tracker = build_tracker("contact", text=answer, intent=intent, requested_slot="contact_name",
                            domain=domain, slots={"contact_name": None,
                                                  "profile_name": "Anna de Boer"})
    _events, _dispatcher, slots = await run_form(tracker, domain)
    assert slots["contact_name"] == name
    assert slots.get("profile_name", "Anna de Boer") == profile


async def test_with_the_phone_known_the_phone_question_is_skipped(domain):
    slots = {"contact_name": None, "contact_email": None, "contact_phone": PHONE,
             "profile_name": "Anna"}
    tracker = build_tracker("contact", text="ja", intent="affirm", requested_slot="contact_name",
                            domain=domain, slots=slots)
    _events, _d, found = await run_form(tracker, domain)
    assert found["contact_name"] == "Anna" and found["requested_slot"] == "contact_email"
    tracker = build_tracker("contact", text="geen", requested_slot="contact_email",
                            domain=domain, slots={**slots, "contact_name": "Anna"})
    _events, _d, found = await run_form(tracker, domain)
    assert found["contact_email"] == "" and found["requested_slot"] == "source"


async def test_starting_over_keeps_the_whatsapp_number(domain):
    tracker = with_metadata(build_tracker("contact", text="opnieuw", intent="start_over",
                                          domain=domain), WHATSAPP)
    events = await RestartIntake().run(CollectingDispatcher(), tracker, domain)
    assert {"event": "reset_slots", "timestamp": None} in events
    assert slot_events(events) == {"contact_phone": PHONE, "profile_name": "Anna de Boer"}


async def test_starting_over_on_the_web_forgets_everything(domain):
    tracker = build_tracker("contact", text="opnieuw", intent="start_over", domain=domain)
    events = await RestartIntake().run(CollectingDispatcher(), tracker, domain)
    assert slot_events(events) == {}
