"""Values said earlier are not asked again. When an answer mentions more than was asked ("we
zijn een bakkerij in Utrecht met 6 man, mail me op anna@dekorst.nl"), the entities the NLU found
(bot/components/entities.py, normalised values) fill the intake slots that are still empty, so
the form skips those questions. A filled slot is never overwritten this way: corrections are
the summary's job, and the summary shows every value, so a wrong guess can be put right there.

Only clear values are used: one distinct value per slot in the message; no sector or place from
someone's name; no place where it is about customers or deliveries ("klanten in Amersfoort")."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from actions.form_order import unknown
from bot import parsing

ENTITY_SLOTS = {
    "sector": "sector", "place": "place", "employees": "employees", "postcode": "postcode",
    "email": "contact_email", "phone": "contact_phone", "kvk": "kvk_number",
}
# While these are asked, the answer is not mined for other values.
NOT_WHILE = {"summary_confirmed"}  # a correction there is handled by the summary step
NAME_SLOTS = {"contact_name"}  # 'Jan Bakker', 'Anna Hoorn': surnames look like sectors, places
NOT_FROM_NAMES = {"sector", "place"}
# A place after these words is where customers are, not where the business is.
NOT_OUR_PLACE = re.compile(
    r"\b(klant\w*|afnemers|leveren|lever[dt]?|bezorg\w*|naar|toerist\w*|mensen|publiek|"
    r"doelgroep|verkopen|verkoop|actief|bereiken|trekken|vandaan|concurrent\w*|leverancier\w*|"
    r"notaris|accountant|boekhouder|bank|verhuiz\w*)\b")
CLAUSE = re.compile(r"[.!?;,\n]")
COMPANY = re.compile(
    r"\b(?:(?:ons|mijn|m'n|het) bedrijf heet|(?:de )?bedrijfsnaam is|(?:we|wij) heten|"
    r"de zaak heet|mijn zaak heet)\s+(?P<name>[^,.!?\n]{2,60})", re.I)
COMPANY_END = re.compile(r"\s+(?:en|in|uit|met|maar|want|dus|we|wij|ik|sinds|te|op|bij|van"
                         r" ons)\b.*$", re.I)


def our_place(text: str, entity: dict) -> bool:
    """True unless the words just before the place are about customers, deliveries or others."""
    before = CLAUSE.split(text[: int(entity.get("start") or 0)].lower())[-1]
    return not NOT_OUR_PLACE.search(" ".join(before.split()[-6:]))


def company_name(text: str) -> str | None:
    """'ons bedrijf heet De Korst en we ...' -> 'De Korst' (only an explicit statement)."""
    m = COMPANY.search(text or "")
    if not m:
        return None
    name = COMPANY_END.sub("", m.group("name")).strip(" '\"")
    if not parsing.looks_like_name(name) or len(name.split()) > 6:
        return None
    return parsing.clean_name(name)


def found_values(tracker: Tracker) -> dict[str, Any]:
    """{slot: value} for the slots the latest message gives one clear value for."""
    message = tracker.latest_message or {}
    text = str(message.get("text") or "")
    requested = tracker.get_slot("requested_slot")
    values: dict[str, list] = {}
    for entity in message.get("entities") or []:
        label = entity.get("entity")
        if label not in ENTITY_SLOTS or entity.get("value") in (None, ""):
            continue
        if requested in NAME_SLOTS and label in NOT_FROM_NAMES:
            continue
        if label == "place" and not our_place(text, entity):
            continue
        if entity["value"] not in values.setdefault(ENTITY_SLOTS[label], []):
            values[ENTITY_SLOTS[label]].append(entity["value"])
    found = {slot: items[0] for slot, items in values.items() if len(items) == 1}
    name = company_name(text) if requested not in NAME_SLOTS else None
    if name:
        found["company_name"] = name
    return found


def prefill_events(tracker: Tracker) -> list[EventType]:
    """SlotSets for the empty, not currently asked slots the latest message answers."""
    requested = tracker.get_slot("requested_slot")
    if not requested or requested in NOT_WHILE:
        return []
    return [SlotSet(slot, value) for slot, value in found_values(tracker).items()
            if slot != requested and unknown(tracker.get_slot(slot))]


def entity_value(tracker: Tracker, slot: str) -> Any:
    """The one clear value the latest message's entities give for `slot`, or None. The
    validators use it for answers they cannot parse themselves ('nul zes twaalf ...')."""
    return found_values(tracker).get(slot)


def answers_requested(tracker: Tracker) -> bool:
    """True when the latest message holds a value for the question being asked: then it is an
    answer, whatever the intent classifier thought ('mijn nummer is nul zes ...')."""
    requested = tracker.get_slot("requested_slot")
    return requested is not None and entity_value(tracker, requested) is not None
