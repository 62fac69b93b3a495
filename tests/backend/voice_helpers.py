"""Helpers for the phone line tests: signed Twilio Voice webhooks (call, Gather action, pending,
Dial action, status callback), the TwiML parsed, and a FakeRasa that asks intake questions the
way the real bot's form does (its tracker's requested_slot)."""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from itertools import count

import pytest
from sqlalchemy import select

from backend.db import Database
from backend.models import CallbackRequest, Conversation, Message
from backend.services import handover
from tests.backend.fake_twilio import ACCOUNT_SID
from tests.backend.whatsapp_helpers import PUBLIC, post, rows

VOICE = "/webhooks/twilio/voice"
GATHER = VOICE + "/gather"
PENDING = VOICE + "/pending"
DIAL = VOICE + "/dial"
STATUS = VOICE + "/status"
HELPDESK = "+31850000000"
_calls = count(1)


def new_call() -> str:
    return f"CA{time.time_ns():022x}{next(_calls):08x}"[:34]


def call_params(call_sid: str, phone: str, **extra: str) -> dict:
    params = {"CallSid": call_sid, "From": phone, "To": "+31850000001", "CallStatus": "ringing",
              "AccountSid": ACCOUNT_SID, "Direction": "inbound", "ApiVersion": "2010-04-01"}
    params.update(extra)
    return params


def xml(response) -> ET.Element:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/xml")
    return ET.fromstring(response.text)


def call(client, call_sid: str, phone: str, **extra) -> ET.Element:
    return xml(post(client, call_params(call_sid, phone, **extra), path=VOICE))


def follow(client, url: str, call_sid: str, phone: str, **extra) -> ET.Element:
    """POST to a URL from the TwiML (an action or a Redirect) the way Twilio does: signed for
    the public URL, query included."""
    assert url.startswith(PUBLIC + VOICE), url
    params = call_params(call_sid, phone, CallStatus="in-progress", **extra)
    return xml(post(client, params, path=url[len(PUBLIC):]))


def gather(client, action: str, call_sid: str, phone: str, **extra) -> ET.Element:
    """Answer the Gather: POST to its action URL."""
    assert action.startswith(PUBLIC + GATHER), action
    return follow(client, action, call_sid, phone, **extra)


def answer(client, root: ET.Element, call_sid: str, phone: str, **extra) -> ET.Element:
    """Answer the Gather in `root` (SpeechResult=..., Digits=..., or nothing: silence)."""
    g = root.find("Gather")
    assert g is not None, ET.tostring(root)
    return gather(client, g.get("action"), call_sid, phone, **extra)


def says(root: ET.Element) -> list[str]:
    return [s.text or "" for s in root.iter("Say")]


def action_query(root: ET.Element) -> str:
    action = root.find("Gather").get("action")
    return action.split("?", 1)[1] if "?" in action else ""


def conversation(client, call_sid: str) -> Conversation:
    with client.app.state.db.session() as s:
        found = s.scalar(select(Conversation).where(Conversation.call_sid == call_sid))
        s.expunge_all()
        return found


def transcript(client, conversation_id: str) -> list[tuple[str, str]]:
    return [(m.sender, m.text) for m in rows(client, Message,
                                              Message.conversation_id == conversation_id)]


def callback_requests(client, conversation_id: str) -> list[CallbackRequest]:
    return rows(client, CallbackRequest, CallbackRequest.conversation_id == conversation_id)


def ask_questions(rasa, flow: dict[str, tuple], first: tuple = ("Wat is je e-mailadres?",
                                                                   "contact_email"),
                  accept: Callable[[str | None, str], bool] | None = None) -> None:
    """FakeRasa as the intake form: the greeting asks `first`; an accepted answer to a slot
    moves on to flow[slot] = (question, next slot[, buttons]); a refused one asks the same
    again. `accept(slot, message)` decides (default: everything)."""
    asked: dict[str, str | None] = {}
    questions = {q[1]: q for q in [first, *flow.values()] if q[1]}

    def reply(sender: str, message: str) -> list[dict]:
        if message == "/start_intake":
            question = first
        else:
            slot = asked.get(sender)
            if accept is None or accept(slot, message):
                question = flow.get(slot, ("Dank je, dat was alles.", None))
            else:
                question = questions[slot]
                question = (f"Dat snap ik niet. {question[0]}", *question[1:])
        asked[sender] = question[1]
        rasa.slots[sender] = {"requested_slot": question[1]}
        buttons = question[2] if len(question) > 2 else []
        return [{"recipient_id": sender, "text": question[0], "buttons": buttons}]

    rasa.reply = reply


def sent_to_bot(rasa, conversation_id: str) -> list[str]:
    return [r["message"] for r in rasa.received if r["sender"] == conversation_id]


@pytest.fixture(autouse=True)
def follow_the_hours(migrated):
    """The helpdesk switch is global: every test ends following the office hours again."""
    yield
    db = Database(migrated)
    with db.session() as s:
        handover.set_override(s, open_now=None, by="test")
    db.engine.dispose()
