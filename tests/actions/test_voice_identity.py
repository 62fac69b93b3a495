"""The phone: the hub sends {"channel": "voice", "phone": <the caller's number>} with every
message, so the caller's number is the contact's phone and is not asked again. There is no
profile name on the phone: the name is asked as usual. What the hub gives the bot after a
spelled-back confirmation or a keyed number is accepted as the answer."""

from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.ask_actions import AskContactName
from actions.channel_identity import channel_identity, identity_slots
from actions.conversation import Greet, RestartIntake
from actions.intake_data import ticket_payload
from tests.actions.helpers import build_tracker, run_form, slot_events
from tests.actions.test_whatsapp_identity import greet_tracker, with_metadata

PHONE = "+31612345678"
VOICE = {"channel": "voice", "phone": PHONE}


async def test_greet_on_the_phone_knows_the_callers_number(domain):
    events = await Greet().run(CollectingDispatcher(), greet_tracker(domain, VOICE), domain)
    assert slot_events(events) == {"contact_phone": PHONE, "profile_name": None}


@pytest.mark.parametrize("metadata", [
    {"channel": "voice"},  # a withheld number: From is 'anonymous', the hub sends no phone
    {"channel": "voice", "phone": "anonymous"},
    {"channel": "voice", "phone": "0612345678"},  # not E.164: not from the hub
    {"channel": "telefoon", "phone": PHONE},
])
async def test_without_a_usable_number_nothing_is_set(domain, metadata):
    events = await Greet().run(CollectingDispatcher(), greet_tracker(domain, metadata), domain)
    assert events == []


def test_the_identity_of_a_call(domain):
    tracker = with_metadata(build_tracker("contact", domain=domain), VOICE)
    assert channel_identity(tracker) == {"channel": "voice", "phone": PHONE,
                                         "profile_name": None}
    tracker = build_tracker("contact", domain=domain)
    tracker.events.insert(0, {"event": "user", "text": "/start_intake", "metadata": VOICE})
    assert slot_events(identity_slots(tracker))["contact_phone"] == PHONE


async def test_on_the_phone_the_name_is_asked_as_usual(domain):
    tracker = with_metadata(build_tracker("contact", requested_slot="contact_name",
                                          domain=domain, slots={"contact_name": None,
                                                                "contact_phone": PHONE}), VOICE)
    dispatcher = CollectingDispatcher()
    await AskContactName().run(dispatcher, tracker, domain)
    assert dispatcher.messages[0]["response"] == "utter_ask_contact_name"


async def test_the_callers_number_is_not_asked_again(domain):
    slots = {"contact_name": "Kees", "contact_email": None, "contact_phone": PHONE}
    tracker = with_metadata(build_tracker("contact", text="kees@vandijkschilders.nl",
                                          requested_slot="contact_email", domain=domain,
                                          slots=slots), VOICE)
    _events, _d, found = await run_form(tracker, domain)
    assert found["contact_email"] == "kees@vandijkschilders.nl"
    assert found["requested_slot"] == "source"  # contact_phone is skipped
    # no e-mail at all is fine too: the phone is known
    tracker = with_metadata(build_tracker("contact", text="geen", requested_slot="contact_email",
                                          domain=domain, slots=slots), VOICE)
    _events, _d, found = await run_form(tracker, domain)
    assert found["contact_email"] == "" and found["requested_slot"] == "source"


async def test_the_ticket_carries_the_callers_number(domain):
    tracker = build_tracker("summary", domain=domain, slots={"contact_phone": PHONE})
    payload = ticket_payload("call-1", tracker.slots)
    assert payload["contact"]["phone"] == PHONE


async def test_starting_over_on_the_phone_keeps_the_number(domain):
    tracker = with_metadata(build_tracker("contact", text="opnieuw", intent="start_over",
                                          domain=domain), VOICE)
    events = await RestartIntake().run(CollectingDispatcher(), tracker, domain)
    assert slot_events(events) == {"contact_phone": PHONE, "profile_name": None}


@pytest.mark.parametrize("slot, forwarded, expected", [
    ("contact_email", "anna@bakkerijdekorst.nl", {"contact_email": "anna@bakkerijdekorst.nl"}),
    ("postcode", "3511 AB Utrecht", {"postcode": "3511 AB", "place": "Utrecht"}),
    ("postcode", "3511 BK", {"postcode": "3511 BK"}),
    ("employees", "12", {"employees": 12}),
    ("kvk_number", "12345678", {"kvk_number": "12345678"}),
    ("maturity", "7", {"maturity": 7}),
])
async def test_what_the_hub_forwards_from_the_phone_is_accepted(domain, slot, forwarded,
                                                                expected):
    """The spelled-back value after 'ja', or the keyed digits, fill the slot at once."""
    tracker = with_metadata(build_tracker("contact", text=forwarded, requested_slot=slot,
                                          domain=domain, slots={slot: None}), VOICE)
    _events, _d, found = await run_form(tracker, domain)
    for name, value in expected.items():
        assert found[name] == value
