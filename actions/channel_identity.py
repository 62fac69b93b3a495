"""Who is writing, as the channel tells it: on WhatsApp the hub sends the phone number and the
WhatsApp profile name with every message (Rasa's REST channel metadata). The phone number is
the contact's phone, so the bot does not ask for it; the profile name is only a suggestion that
the bot confirms ("Mag ik je Anna noemen?"). Web chat sends no metadata: nothing changes there."""

from __future__ import annotations

import re

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from bot import parsing

CHANNELS_WITH_PHONE = ("whatsapp", "voice")  # voice: the caller's number
_E164 = re.compile(r"^\+[1-9]\d{6,14}$")


def _metadata_of(tracker: Tracker) -> list[dict]:
    """The latest user message's metadata first, then earlier ones (newest first)."""
    found = [(tracker.latest_message or {}).get("metadata") or {}]
    for event in reversed(tracker.events or []):
        if event.get("event") == "user":
            found.append(event.get("metadata") or {})
    return [m for m in found if isinstance(m, dict)]


def channel_identity(tracker: Tracker) -> dict:
    """{'channel', 'phone', 'profile_name'} from a channel that knows the phone, else {}."""
    for metadata in _metadata_of(tracker):
        phone = str(metadata.get("phone") or "")
        if metadata.get("channel") in CHANNELS_WITH_PHONE and _E164.match(phone):
            return {"channel": metadata["channel"], "phone": phone,
                    "profile_name": usable_name(metadata.get("profile_name"))}
    return {}


def usable_name(value: object) -> str | None:
    """A WhatsApp profile name that can be used to address someone ('Anna 🌸' -> 'Anna'),
    or None ('~', '🌸', a phone number, a business slogan)."""
    text = re.sub(r"[^\w\s.'\-]", " ", str(value or ""))
    text = re.sub(r"[\d_]", " ", text)
    text = re.sub(r"\s+", " ", text).strip(" .-'")
    letters = len(re.findall(r"[^\W\d_]", text))
    if letters < 2 or len(text) > 40 or len(text.split()) > 4:
        return None
    return text if parsing.looks_like_name(text) else None


def identity_slots(tracker: Tracker | None) -> list[EventType]:
    """SlotSets for what the channel tells (empty for web chat)."""
    identity = channel_identity(tracker) if tracker is not None else {}
    if not identity:
        return []
    return [SlotSet("contact_phone", identity["phone"]),
            SlotSet("profile_name", identity["profile_name"])]
